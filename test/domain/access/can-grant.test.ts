import { describe, expect, it } from 'vitest';
import {
  buildOrganizationAccessView,
  canGrant,
  ENTITY_LEVELS,
  grantingLevel,
} from '../../../src/domain/access/index.js';
import type { EntityLevel, OrganizationAccessView } from '../../../src/domain/access/index.js';
import { referenceCanGrant } from './reference-resolver.js';

describe('canGrant', () => {
  const actors: (EntityLevel | null)[] = [null, ...ENTITY_LEVELS];
  for (const actor of actors) {
    for (const requested of ENTITY_LEVELS) {
      it(`${actor ?? 'no access'} granting ${requested} follows the two rules`, () => {
        expect(canGrant(actor, requested).allowed).toBe(referenceCanGrant(actor, requested));
      });
    }
  }

  it('refuses anyone below manager, even for viewer: sharing needs entity:share', () => {
    expect(canGrant('editor', 'viewer')).toEqual({ allowed: false, reason: 'share_required' });
    expect(canGrant('viewer', 'viewer')).toEqual({ allowed: false, reason: 'share_required' });
    expect(canGrant(null, 'viewer')).toEqual({ allowed: false, reason: 'share_required' });
  });

  it('lets a manager grant up to manager but not admin', () => {
    expect(canGrant('manager', 'manager')).toEqual({ allowed: true });
    expect(canGrant('manager', 'admin')).toEqual({ allowed: false, reason: 'above_own_level' });
  });

  it('lets an entity admin grant admin', () => {
    expect(canGrant('admin', 'admin')).toEqual({ allowed: true });
  });

  it('refuses unchecked strings instead of ranking them as no access', () => {
    expect(canGrant('manager', 'owner' as EntityLevel)).toEqual({ allowed: false, reason: 'invalid_level' });
    expect(canGrant('owner' as EntityLevel, 'viewer')).toEqual({ allowed: false, reason: 'share_required' });
  });
});

describe('grantingLevel feeds canGrant', () => {
  const built = buildOrganizationAccessView({
    organizationId: 'org',
    members: [
      { memberId: 'bob', systemRole: 'manager', customRoleKeys: [] },
      { memberId: 'carol', systemRole: 'member', customRoleKeys: [] },
      { memberId: 'erin', systemRole: 'member', customRoleKeys: ['coordinator'] },
      { memberId: 'frank', systemRole: 'viewer', customRoleKeys: ['sharer'] },
      { memberId: 'gina', systemRole: 'viewer', customRoleKeys: [] },
    ],
    customRoles: [
      {
        key: 'coordinator',
        name: 'Coordinator',
        permissions: ['entity:view', 'entity:edit', 'entity:create', 'entity:delete', 'entity:share'],
      },
      { key: 'sharer', name: 'Sharer', permissions: ['entity:share'] },
    ],
    grants: [
      { memberId: 'carol', entityId: 'boat-1', level: 'editor' },
      { memberId: 'gina', entityId: 'boat-1', level: 'admin' },
      { memberId: 'bob', entityId: 'boat-1', level: 'admin' },
    ],
  });
  const view = (): OrganizationAccessView => {
    if (!built.ok) throw new Error(built.error.code);
    return built.view;
  };

  it('an editor grant cannot be re-shared', () => {
    expect(grantingLevel(view(), 'carol', 'boat-1')).toBe('editor');
    expect(canGrant(grantingLevel(view(), 'carol', 'boat-1'), 'viewer').allowed).toBe(false);
  });

  it('an org manager grants up to manager everywhere; an admin grant does not lift them', () => {
    expect(grantingLevel(view(), 'bob', 'boat-1')).toBe('manager');
    expect(canGrant(grantingLevel(view(), 'bob', 'boat-2'), 'manager').allowed).toBe(true);
    expect(canGrant(grantingLevel(view(), 'bob', 'boat-1'), 'admin').allowed).toBe(false);
  });

  it('an admin grant lifts a viewer to entity admin on that entity only', () => {
    expect(canGrant(grantingLevel(view(), 'gina', 'boat-1'), 'admin').allowed).toBe(true);
    expect(canGrant(grantingLevel(view(), 'gina', 'boat-2'), 'viewer').allowed).toBe(false);
  });

  it('a custom role with every manager permission acts as manager on every entity', () => {
    expect(grantingLevel(view(), 'erin', 'boat-9')).toBe('manager');
  });

  it('a custom role holding only entity:share does not make a manager', () => {
    expect(grantingLevel(view(), 'frank', 'boat-1')).toBe('viewer');
    expect(canGrant(grantingLevel(view(), 'frank', 'boat-1'), 'viewer').allowed).toBe(false);
  });

  it('a non-member holds nothing', () => {
    expect(grantingLevel(view(), 'mallory', 'boat-1')).toBeNull();
  });
});
