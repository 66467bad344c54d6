// Guards the worked example of the NaviDocs multi-tenancy design (seed 004): every cell of its
// access table and every line of its "Result" list.
import { describe, expect, it } from 'vitest';
import { buildOrganizationAccessView, decide, PERMISSIONS } from '../../../src/domain/access/index.js';
import type { EntityLevel, OrganizationAccessView } from '../../../src/domain/access/index.js';

const coastalMarine = buildOrganizationAccessView({
  organizationId: 'coastal-marine-services',
  members: [
    { memberId: 'alice', systemRole: 'admin', customRoleKeys: [] },
    { memberId: 'bob', systemRole: 'manager', customRoleKeys: [] },
    { memberId: 'carol', systemRole: 'member', customRoleKeys: [] },
    { memberId: 'dave', systemRole: 'viewer', customRoleKeys: [] },
  ],
  customRoles: [],
  grants: [
    { memberId: 'carol', entityId: 'boat-1', level: 'editor' },
    { memberId: 'carol', entityId: 'boat-3', level: 'viewer' },
  ],
});

function view(): OrganizationAccessView {
  if (!coastalMarine.ok) throw new Error(coastalMarine.error.code);
  return coastalMarine.view;
}

type Cell = { level: EntityLevel; source: 'org' | 'explicit' } | 'no access';

// | User  | Org Role | Boat 1            | Boat 2        | Boat 3            |
const TABLE: Record<string, readonly [Cell, Cell, Cell]> = {
  alice: [{ level: 'admin', source: 'org' }, { level: 'admin', source: 'org' }, { level: 'admin', source: 'org' }],
  bob: [{ level: 'manager', source: 'org' }, { level: 'manager', source: 'org' }, { level: 'manager', source: 'org' }],
  carol: [{ level: 'editor', source: 'explicit' }, 'no access', { level: 'viewer', source: 'explicit' }],
  dave: [{ level: 'viewer', source: 'org' }, { level: 'viewer', source: 'org' }, { level: 'viewer', source: 'org' }],
};
const BOATS = ['boat-1', 'boat-2', 'boat-3'] as const;

describe('NaviDocs example: Coastal Marine Services', () => {
  it('builds', () => {
    expect(coastalMarine.ok).toBe(true);
  });

  for (const [user, cells] of Object.entries(TABLE)) {
    cells.forEach((cell, column) => {
      const boat = BOATS[column] ?? 'missing';
      it(`${user} on ${boat}: ${cell === 'no access' ? cell : `${cell.level} (${cell.source})`}`, () => {
        const decision = decide(view(), user, 'entity:view', boat);
        if (cell === 'no access') {
          expect(decision).toEqual({ allowed: false, level: null, reason: 'no_grant' });
          return;
        }
        const reason = cell.source === 'explicit' ? 'grant' : user === 'dave' ? 'org_viewer' : 'org_role';
        expect(decision).toEqual({ allowed: true, level: cell.level, reason });
      });
    });
  }

  const ENTITY_ACTIONS = PERMISSIONS.filter((permission) => permission.startsWith('entity:'));
  const allowedOn = (user: string, boat: string): string[] =>
    ENTITY_ACTIONS.filter((action) => decide(view(), user, action, boat).allowed);

  it('Alice can fully manage all 3 boats', () => {
    for (const boat of BOATS) expect(allowedOn('alice', boat)).toEqual(ENTITY_ACTIONS);
  });

  it('Bob can manage all 3 boats but cannot modify org settings', () => {
    for (const boat of BOATS) {
      expect(allowedOn('bob', boat)).toEqual(['entity:view', 'entity:edit', 'entity:create', 'entity:delete', 'entity:share']);
    }
    expect(decide(view(), 'bob', 'organization:update')).toEqual({ allowed: false, level: null, reason: 'org_role' });
    expect(decide(view(), 'bob', 'billing:manage').allowed).toBe(false);
    expect(decide(view(), 'alice', 'organization:update').allowed).toBe(true);
  });

  it('Carol can only edit Boat 1 and view Boat 3 (no access to Boat 2)', () => {
    expect(allowedOn('carol', 'boat-1')).toEqual(['entity:view', 'entity:edit', 'entity:create']);
    expect(allowedOn('carol', 'boat-2')).toEqual([]);
    expect(allowedOn('carol', 'boat-3')).toEqual(['entity:view']);
  });

  it('Dave can view all boats but cannot make changes', () => {
    for (const boat of BOATS) expect(allowedOn('dave', boat)).toEqual(['entity:view']);
    expect(decide(view(), 'dave', 'entity:edit', 'boat-1')).toEqual({ allowed: false, level: 'viewer', reason: 'org_viewer' });
  });
});
