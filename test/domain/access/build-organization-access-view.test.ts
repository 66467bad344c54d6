import { describe, expect, it } from 'vitest';
import { buildOrganizationAccessView } from '../../../src/domain/access/index.js';
import type {
  AccessErrorCode,
  EntityLevel,
  OrganizationAccessData,
  Permission,
  SystemRole,
} from '../../../src/domain/access/index.js';

const base: OrganizationAccessData = {
  organizationId: 'org',
  members: [
    { memberId: 'alice', systemRole: 'admin', customRoleKeys: [] },
    { memberId: 'carol', systemRole: 'member', customRoleKeys: ['ops'] },
  ],
  customRoles: [{ key: 'ops', name: 'Ops', permissions: ['credits:spend'] }],
  grants: [{ memberId: 'carol', entityId: 'boat-1', level: 'editor' }],
};

function codeOf(data: OrganizationAccessData): AccessErrorCode | 'ok' {
  const result = buildOrganizationAccessView(data);
  return result.ok ? 'ok' : result.error.code;
}

describe('buildOrganizationAccessView', () => {
  it('builds a frozen view of valid data', () => {
    const result = buildOrganizationAccessView(base);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(Object.isFrozen(result.view)).toBe(true);
      expect(result.view.organizationId).toBe('org');
      expect(result.view.entityIds).toEqual(['boat-1']);
    }
  });

  it('stores grants sparsely past the dense cell limit', () => {
    const result = buildOrganizationAccessView(base, { denseGrantCellLimit: 1 });
    expect(result.ok && result.view.sparseGrants?.size).toBe(1);
  });

  const cases: [string, OrganizationAccessData, AccessErrorCode][] = [
    ['an unknown system role', { ...base, members: [{ memberId: 'x', systemRole: 'owner' as SystemRole, customRoleKeys: [] }], grants: [] }, 'ACCESS_UNKNOWN_SYSTEM_ROLE'],
    ['a duplicate member', { ...base, members: [...base.members, { memberId: 'alice', systemRole: 'viewer', customRoleKeys: [] }] }, 'ACCESS_DUPLICATE_MEMBER'],
    ['a dangling custom role key', { ...base, customRoles: [] }, 'ACCESS_UNKNOWN_CUSTOM_ROLE'],
    ['a duplicate custom role key', { ...base, customRoles: [...base.customRoles, ...base.customRoles] }, 'ACCESS_DUPLICATE_ROLE_KEY'],
    ['a custom role with an unknown permission', { ...base, customRoles: [{ key: 'ops', name: 'Ops', permissions: ['entity:*' as Permission] }] }, 'ACCESS_UNKNOWN_PERMISSION'],
    ['a custom role named like a system role', { ...base, customRoles: [{ key: 'admin', name: 'Admin', permissions: [] }] }, 'ACCESS_RESERVED_ROLE_KEY'],
    ['a grant to a non-member', { ...base, grants: [{ memberId: 'mallory', entityId: 'boat-1', level: 'admin' }] }, 'ACCESS_GRANT_UNKNOWN_MEMBER'],
    ['a grant with an invalid level', { ...base, grants: [{ memberId: 'carol', entityId: 'boat-1', level: 'owner' as EntityLevel }] }, 'ACCESS_INVALID_ENTITY_LEVEL'],
    ['two grants for one member and entity', { ...base, grants: [...base.grants, { memberId: 'carol', entityId: 'boat-1', level: 'viewer' }] }, 'ACCESS_DUPLICATE_GRANT'],
  ];
  for (const [name, data, code] of cases) {
    it(`rejects ${name} with ${code}`, () => {
      expect(codeOf(data)).toBe(code);
    });
  }

  it('rejects a duplicate grant in sparse mode too', () => {
    const data = { ...base, grants: [...base.grants, ...base.grants] };
    const result = buildOrganizationAccessView(data, { denseGrantCellLimit: 0 });
    expect(result.ok ? 'ok' : result.error.code).toBe('ACCESS_DUPLICATE_GRANT');
  });
});
