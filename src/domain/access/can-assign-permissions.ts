import { isPermission } from './permission.js';
import type { Permission } from './permission.js';

/** Result of {@link canAssignPermissions}; `permissions` lists every offending entry. */
export type PermissionAssignmentCheck =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: 'unknown_permission';
      readonly permissions: readonly string[];
    }
  | {
      readonly allowed: false;
      readonly reason: 'not_held';
      readonly permissions: readonly Permission[];
    };

const ALLOWED: PermissionAssignmentCheck = Object.freeze({ allowed: true });

/**
 * Anti-escalation rule for roles: an actor may create, edit or assign a role (custom or system)
 * only if they themselves hold every permission it carries.
 *
 * `actorPermissions` must be the actor's organization-wide permissions
 * (`effectivePermissions(view, actor).permissions`): entity access held through per-entity
 * grants does not count, because role permissions apply to every entity.
 *
 * This is only the escalation half. The caller still checks that the actor may manage roles or
 * members at all (`role:manage` / `member:manage` via `decide`) and, when changing another
 * member's roles, runs this check on that member's current permissions too, so nobody demotes a
 * member who holds more than they do.
 */
export function canAssignPermissions(
  actorPermissions: Iterable<Permission>,
  requestedPermissions: Iterable<string>,
): PermissionAssignmentCheck {
  const held = new Set<string>();
  for (const permission of actorPermissions) {
    if (isPermission(permission)) held.add(permission);
  }
  const unknown: string[] = [];
  const missing: Permission[] = [];
  for (const requested of requestedPermissions) {
    if (!isPermission(requested)) unknown.push(requested);
    else if (!held.has(requested) && !missing.includes(requested)) missing.push(requested);
  }
  if (unknown.length > 0) {
    return { allowed: false, reason: 'unknown_permission', permissions: unknown };
  }
  if (missing.length > 0) return { allowed: false, reason: 'not_held', permissions: missing };
  return ALLOWED;
}
