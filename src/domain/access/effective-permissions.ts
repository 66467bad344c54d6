import { LEVEL_MASKS, SYSTEM_ROLE_LEVEL_RANKS, SYSTEM_ROLE_MASKS } from './access-masks.js';
import { entityLevelOfRank, entityLevelRank } from './entity-level.js';
import type { EntityLevel } from './entity-level.js';
import { grantRank, memberCustomMask, memberRoleIndex } from './member-table.js';
import type { OrganizationAccessView } from './organization-access-view.js';
import { permissionsOfMask } from './permission-mask.js';
import type { Permission } from './permission.js';
import { SYSTEM_ROLES } from './system-role.js';
import type { SystemRole } from './system-role.js';

/** One entity on which an explicit grant is in effect for the member. */
export interface EffectiveGrant {
  readonly entityId: string;
  readonly level: EntityLevel;
}

/** What a member may do in one organization, as shown by `/me`. */
export interface EffectivePermissions {
  readonly memberId: string;
  readonly systemRole: SystemRole;
  readonly customRoleKeys: readonly string[];
  /** Organization-wide permissions: system role ∪ custom roles, in catalogue order. */
  readonly permissions: readonly Permission[];
  /** Level on every entity conferred by the system role (`null` for `member`). */
  readonly entityLevel: EntityLevel | null;
  /**
   * Grants that take effect, in the order their entities first appear in the data. Empty for org
   * admins and managers, whose organization level always wins over grants.
   */
  readonly grants: readonly EffectiveGrant[];
}

/** Result of {@link effectivePermissions}. */
export type EffectivePermissionsResult =
  | { readonly ok: true; readonly value: EffectivePermissions }
  | { readonly ok: false; readonly reason: 'not_a_member' };

const MANAGER_RANK = entityLevelRank('manager');

/**
 * Everything `memberId` may do in the organization. Not on the hot path: it allocates.
 * `permissions` is also the `actorPermissions` argument of `canAssignPermissions`.
 */
export function effectivePermissions(
  view: OrganizationAccessView,
  memberId: string,
): EffectivePermissionsResult {
  const m = view.memberIndex.get(memberId);
  if (m === undefined) return { ok: false, reason: 'not_a_member' };
  const role = memberRoleIndex(view, m);
  const orgRank = SYSTEM_ROLE_LEVEL_RANKS[role] ?? 0;
  const mask = (SYSTEM_ROLE_MASKS[role] ?? 0) | memberCustomMask(view, m) | (LEVEL_MASKS[orgRank] ?? 0);
  const grants: EffectiveGrant[] = [];
  if (orgRank < MANAGER_RANK) {
    for (const entityId of view.entityIds) {
      const level = entityLevelOfRank(grantRank(view, m, entityId));
      if (level !== null) grants.push({ entityId, level });
    }
  }
  return {
    ok: true,
    value: {
      memberId,
      systemRole: SYSTEM_ROLES[role] ?? 'member',
      customRoleKeys: view.customRoleKeys[m] ?? [],
      permissions: permissionsOfMask(mask),
      entityLevel: entityLevelOfRank(orgRank),
      grants,
    },
  };
}
