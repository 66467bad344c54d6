import { describe, expect, it } from 'vitest';
import {
  buildOrganizationAccessView,
  decide,
  effectivePermissions,
} from '../../../src/domain/access/index.js';
import type { OrganizationAccessView } from '../../../src/domain/access/index.js';

const built = buildOrganizationAccessView({
  organizationId: 'org',
  members: [
    { memberId: 'bob', systemRole: 'manager', customRoleKeys: [] },
    { memberId: 'carol', systemRole: 'member', customRoleKeys: ['field-editor'] },
    { memberId: 'dave', systemRole: 'viewer', customRoleKeys: [] },
    { memberId: 'ivy', systemRole: 'member', customRoleKeys: ['auditor'] },
  ],
  customRoles: [
    { key: 'field-editor', name: 'Field editor', permissions: ['entity:edit'] },
    { key: 'auditor', name: 'Auditor', permissions: ['audit:read'] },
  ],
  grants: [
    { memberId: 'carol', entityId: 'boat-1', level: 'viewer' },
    { memberId: 'dave', entityId: 'boat-1', level: 'editor' },
    { memberId: 'bob', entityId: 'boat-1', level: 'viewer' },
  ],
});
function view(): OrganizationAccessView {
  if (!built.ok) throw new Error(built.error.code);
  return built.view;
}

describe('decide', () => {
  it('denies non-members and uncatalogued actions', () => {
    expect(decide(view(), 'mallory', 'entity:view', 'boat-1')).toEqual({ allowed: false, level: null, reason: 'not_a_member' });
    expect(decide(view(), 'bob', 'entity:fly', 'boat-1')).toEqual({ allowed: false, level: null, reason: 'unknown_action' });
    expect(decide(view(), 'bob', '__proto__')).toEqual({ allowed: false, level: null, reason: 'unknown_action' });
  });

  it('never lowers an org manager through a grant', () => {
    expect(decide(view(), 'bob', 'entity:delete', 'boat-1')).toEqual({ allowed: true, level: 'manager', reason: 'org_role' });
  });

  it('lifts an org viewer through a grant on that entity only', () => {
    expect(decide(view(), 'dave', 'entity:edit', 'boat-1')).toEqual({ allowed: true, level: 'editor', reason: 'grant' });
    expect(decide(view(), 'dave', 'entity:edit', 'boat-2')).toEqual({ allowed: false, level: 'viewer', reason: 'org_viewer' });
  });

  it('applies custom-role entity permissions organization-wide, without conferring a level', () => {
    expect(decide(view(), 'carol', 'entity:edit', 'boat-2')).toEqual({ allowed: true, level: null, reason: 'custom_role' });
    expect(decide(view(), 'carol', 'entity:edit', 'boat-1')).toEqual({ allowed: true, level: 'viewer', reason: 'custom_role' });
    expect(decide(view(), 'carol', 'entity:view', 'boat-2')).toEqual({ allowed: false, level: null, reason: 'no_grant' });
  });

  it('applies custom-role organization permissions', () => {
    expect(decide(view(), 'ivy', 'audit:read')).toEqual({ allowed: true, level: null, reason: 'custom_role' });
    expect(decide(view(), 'ivy', 'billing:manage')).toEqual({ allowed: false, level: null, reason: 'org_role' });
    expect(decide(view(), 'ivy', 'member:read')).toEqual({ allowed: true, level: null, reason: 'org_role' });
  });

  it('answers entity actions without an entity from organization-wide levels only', () => {
    expect(decide(view(), 'bob', 'entity:share')).toEqual({ allowed: true, level: 'manager', reason: 'org_role' });
    expect(decide(view(), 'dave', 'entity:edit')).toEqual({ allowed: false, level: 'viewer', reason: 'org_viewer' });
    expect(decide(view(), 'ivy', 'entity:view')).toEqual({ allowed: false, level: null, reason: 'org_role' });
  });

  it('ignores the entity for organization actions', () => {
    expect(decide(view(), 'dave', 'credits:read', 'boat-1')).toEqual({ allowed: true, level: null, reason: 'org_role' });
  });

  it('returns shared frozen decisions, so the hot path allocates nothing', () => {
    const first = decide(view(), 'dave', 'entity:edit', 'boat-1');
    expect(decide(view(), 'dave', 'entity:edit', 'boat-1')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe('effectivePermissions', () => {
  it('lists organization-wide permissions, role keys and effective grants for /me', () => {
    expect(effectivePermissions(view(), 'dave')).toEqual({
      ok: true,
      value: {
        memberId: 'dave',
        systemRole: 'viewer',
        customRoleKeys: [],
        permissions: ['entity:view', 'member:read', 'organization:read', 'credits:read'],
        entityLevel: 'viewer',
        grants: [{ entityId: 'boat-1', level: 'editor' }],
      },
    });
  });

  it('omits grants an org manager’s level overrides', () => {
    const result = effectivePermissions(view(), 'bob');
    expect(result.ok && result.value.grants).toEqual([]);
  });

  it('reports non-members', () => {
    expect(effectivePermissions(view(), 'mallory')).toEqual({ ok: false, reason: 'not_a_member' });
  });
});
