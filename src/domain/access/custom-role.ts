import type { AccessError } from './access-error.js';
import { PERMISSIONS, isPermission } from './permission.js';
import type { Permission } from './permission.js';
import { isSystemRole } from './system-role.js';

/**
 * A role defined by one organization. Its permissions apply organization-wide: a custom role
 * holding `entity:edit` lets its members edit every entity of the organization.
 */
export interface CustomRole {
  /** Stable identifier, unique per organization: `^[a-z][a-z0-9_-]{0,63}$`, not a system role name. */
  readonly key: string;
  /** Display name, 1–100 characters after trimming. */
  readonly name: string;
  /** Catalogued permissions, deduplicated, in catalogue order. */
  readonly permissions: readonly Permission[];
}

/** Unvalidated custom role, as it arrives from a request or a stored row. */
export interface CustomRoleInput {
  readonly key: string;
  readonly name: string;
  readonly permissions: readonly string[];
}

/** Result of {@link validateCustomRole}. */
export type CustomRoleValidation =
  | { readonly ok: true; readonly role: CustomRole }
  | { readonly ok: false; readonly error: AccessError };

const KEY_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
const MAX_NAME_LENGTH = 100;

/**
 * Validates and normalises a custom role. It does not check who may create it: pair it with
 * `canAssignPermissions` so nobody creates a role carrying permissions they do not hold.
 */
export function validateCustomRole(input: CustomRoleInput): CustomRoleValidation {
  if (!KEY_PATTERN.test(input.key)) {
    return { ok: false, error: { code: 'ACCESS_INVALID_ROLE_KEY', subject: input.key } };
  }
  // A custom key equal to a system role name would make audit entries and /me ambiguous.
  if (isSystemRole(input.key)) {
    return { ok: false, error: { code: 'ACCESS_RESERVED_ROLE_KEY', subject: input.key } };
  }
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    return { ok: false, error: { code: 'ACCESS_INVALID_ROLE_NAME', subject: input.key } };
  }
  const held = new Set<Permission>();
  for (const permission of input.permissions) {
    if (!isPermission(permission)) {
      return { ok: false, error: { code: 'ACCESS_UNKNOWN_PERMISSION', subject: permission } };
    }
    held.add(permission);
  }
  const permissions = Object.freeze(PERMISSIONS.filter((permission) => held.has(permission)));
  return { ok: true, role: Object.freeze({ key: input.key, name, permissions }) };
}
