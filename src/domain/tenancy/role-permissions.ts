import type { Permission } from '../access/permission.js';
import { PERMISSIONS } from '../access/permission.js';
import { SYSTEM_ROLE_PERMISSIONS } from '../access/system-role.js';
import { DomainError } from '../shared/domain-error.js';
import type { OrganizationRole } from './organization-role.js';
import type { SystemRole } from './system-role.js';

/**
 * Every permission a member would hold with this system role and these custom role keys, in
 * catalogue order: the set anti-escalation compares with the assigner's own permissions.
 * A key the organization does not define is refused with ACCESS_UNKNOWN_CUSTOM_ROLE.
 */
export function permissionsOfRoles(systemRole: SystemRole, customRoleKeys: readonly string[], roles: readonly OrganizationRole[]): Permission[] {
  const held = new Set<Permission>(SYSTEM_ROLE_PERMISSIONS[systemRole]);
  for (const key of customRoleKeys) {
    const role = roles.find((r) => r.key === key);
    if (!role) throw new DomainError('ACCESS_UNKNOWN_CUSTOM_ROLE', 'No custom role with this key in this organization', { subject: key });
    for (const permission of role.permissions) held.add(permission);
  }
  return PERMISSIONS.filter((p) => held.has(p));
}
