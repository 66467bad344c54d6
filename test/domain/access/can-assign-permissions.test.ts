import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildOrganizationAccessView,
  canAssignPermissions,
  effectivePermissions,
  SYSTEM_ROLE_PERMISSIONS,
} from '../../../src/domain/access/index.js';
import type { Permission } from '../../../src/domain/access/index.js';
import { CATALOGUE } from './reference-resolver.js';

const built = buildOrganizationAccessView({
  organizationId: 'org',
  members: [
    { memberId: 'alice', systemRole: 'admin', customRoleKeys: [] },
    { memberId: 'bob', systemRole: 'manager', customRoleKeys: [] },
    { memberId: 'carol', systemRole: 'member', customRoleKeys: [] },
    { memberId: 'hank', systemRole: 'member', customRoleKeys: ['treasurer'] },
  ],
  customRoles: [{ key: 'treasurer', name: 'Treasurer', permissions: ['billing:manage', 'role:manage'] }],
  grants: [{ memberId: 'carol', entityId: 'boat-1', level: 'admin' }],
});

function held(memberId: string): readonly Permission[] {
  if (!built.ok) throw new Error(built.error.code);
  const result = effectivePermissions(built.view, memberId);
  if (!result.ok) throw new Error(result.reason);
  return result.value.permissions;
}

describe('canAssignPermissions', () => {
  it('lets an admin create a role with any permission', () => {
    expect(canAssignPermissions(held('alice'), CATALOGUE)).toEqual({ allowed: true });
  });

  it('refuses a manager a role carrying billing, settings or member management', () => {
    expect(canAssignPermissions(held('bob'), ['entity:edit', 'billing:manage', 'organization:update'])).toEqual({
      allowed: false,
      reason: 'not_held',
      permissions: ['billing:manage', 'organization:update'],
    });
  });

  it('refuses a manager entity:manage_permissions, which only the admin level holds', () => {
    expect(canAssignPermissions(held('bob'), ['entity:manage_permissions'])).toMatchObject({ allowed: false, reason: 'not_held' });
  });

  it('lets a manager hand out what a manager holds', () => {
    expect(canAssignPermissions(held('bob'), SYSTEM_ROLE_PERMISSIONS.manager)).toEqual({ allowed: true });
  });

  it('refuses a manager the admin system role', () => {
    expect(canAssignPermissions(held('bob'), SYSTEM_ROLE_PERMISSIONS.admin).allowed).toBe(false);
  });

  it('does not count a per-entity grant: entity admin on one boat cannot mint an org-wide entity:edit role', () => {
    expect(canAssignPermissions(held('carol'), ['entity:edit'])).toEqual({
      allowed: false,
      reason: 'not_held',
      permissions: ['entity:edit'],
    });
  });

  it('counts permissions held through a custom role', () => {
    expect(canAssignPermissions(held('hank'), ['billing:manage'])).toEqual({ allowed: true });
    expect(canAssignPermissions(held('hank'), ['billing:manage', 'audit:read']).allowed).toBe(false);
  });

  it('rejects strings outside the catalogue before anything else', () => {
    expect(canAssignPermissions(held('alice'), ['entity:*', 'billing:manage', 'ENTITY:VIEW'])).toEqual({
      allowed: false,
      reason: 'unknown_permission',
      permissions: ['entity:*', 'ENTITY:VIEW'],
    });
  });

  it('ignores uncatalogued strings smuggled into the actor side', () => {
    expect(canAssignPermissions(['entity:*' as Permission], ['entity:view']).allowed).toBe(false);
  });

  it('reports each missing permission once and allows an empty role', () => {
    expect(canAssignPermissions([], ['audit:read', 'audit:read'])).toEqual({
      allowed: false,
      reason: 'not_held',
      permissions: ['audit:read'],
    });
    expect(canAssignPermissions([], [])).toEqual({ allowed: true });
  });

  it('allows exactly the subsets of what the actor holds', () => {
    fc.assert(
      fc.property(fc.subarray([...CATALOGUE]), fc.subarray([...CATALOGUE]), (actor, requested) => {
        const subset = requested.every((permission) => actor.includes(permission));
        expect(canAssignPermissions(actor, requested).allowed).toBe(subset);
      }),
      { numRuns: 1_000 },
    );
  });
});
