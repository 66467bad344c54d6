import type { AccessError, AccessErrorCode } from './access-error.js';
import { MEMBER_ROLE_INDEX } from './access-masks.js';
import { validateCustomRole } from './custom-role.js';
import { entityLevelRank, isEntityLevel } from './entity-level.js';
import type { OrganizationAccessData, OrganizationAccessView } from './organization-access-view.js';
import { MEMBER_HEADER_BYTES, writeMemberHeader } from './member-table.js';
import { permissionMaskOf } from './permission-mask.js';
import { SYSTEM_ROLES, isSystemRole } from './system-role.js';

/** Tuning knobs of {@link buildOrganizationAccessView}. */
export interface BuildOrganizationAccessViewOptions {
  /**
   * Largest `memberCount × grantedEntityCount` stored as a dense byte matrix; larger
   * organizations store grants in a `Map`. Default 65,536 cells (64 KiB).
   */
  readonly denseGrantCellLimit?: number;
}

/** Result of {@link buildOrganizationAccessView}. */
export type BuildOrganizationAccessViewResult =
  | { readonly ok: true; readonly view: OrganizationAccessView }
  | { readonly ok: false; readonly error: AccessError };

const DEFAULT_DENSE_GRANT_CELL_LIMIT = 65_536;
const NO_KEYS: readonly string[] = Object.freeze([]);

function failure(code: AccessErrorCode, subject: string): BuildOrganizationAccessViewResult {
  return { ok: false, error: { code, subject } };
}

/**
 * Compiles one organization's access data into an {@link OrganizationAccessView}.
 *
 * Rejects, rather than repairs, inconsistent data (unknown system role or custom role key,
 * duplicate member, grant to a non-member, duplicate grant, invalid level or permission):
 * silently dropping a row could turn a revoked permission back on or hide a data bug.
 */
export function buildOrganizationAccessView(
  data: OrganizationAccessData,
  options: BuildOrganizationAccessViewOptions = {},
): BuildOrganizationAccessViewResult {
  const roleMasks = new Map<string, number>();
  for (const input of data.customRoles) {
    const validated = validateCustomRole(input);
    if (!validated.ok) return validated;
    if (roleMasks.has(validated.role.key)) {
      return failure('ACCESS_DUPLICATE_ROLE_KEY', validated.role.key);
    }
    roleMasks.set(validated.role.key, permissionMaskOf(validated.role.permissions));
  }

  const memberCount = data.members.length;
  const memberIndex = new Map<string, number>();
  const memberIds: string[] = [];
  const roleIndexes: number[] = [];
  const masks: number[] = [];
  const customRoleKeys: (readonly string[])[] = [];
  for (const member of data.members) {
    if (!isSystemRole(member.systemRole)) {
      return failure('ACCESS_UNKNOWN_SYSTEM_ROLE', member.memberId);
    }
    if (memberIndex.has(member.memberId)) return failure('ACCESS_DUPLICATE_MEMBER', member.memberId);
    const m = memberIds.length;
    let mask = 0;
    for (const key of member.customRoleKeys) {
      const roleMask = roleMasks.get(key);
      if (roleMask === undefined) return failure('ACCESS_UNKNOWN_CUSTOM_ROLE', key);
      mask |= roleMask;
    }
    memberIndex.set(member.memberId, m);
    memberIds.push(member.memberId);
    roleIndexes.push(SYSTEM_ROLES.indexOf(member.systemRole));
    masks.push(mask);
    customRoleKeys.push(
      member.customRoleKeys.length === 0 ? NO_KEYS : Object.freeze([...new Set(member.customRoleKeys)]),
    );
  }

  const entityIndex = new Map<string, number>();
  const entityIds: string[] = [];
  for (const grant of data.grants) {
    if (!memberIndex.has(grant.memberId)) {
      return failure('ACCESS_GRANT_UNKNOWN_MEMBER', grant.memberId);
    }
    if (!isEntityLevel(grant.level)) return failure('ACCESS_INVALID_ENTITY_LEVEL', grant.entityId);
    if (!entityIndex.has(grant.entityId)) {
      entityIndex.set(grant.entityId, entityIds.length);
      entityIds.push(grant.entityId);
    }
  }

  const entityCount = entityIds.length;
  const limit = options.denseGrantCellLimit ?? DEFAULT_DENSE_GRANT_CELL_LIMIT;
  const dense = memberCount * entityCount <= limit;
  const memberStride = MEMBER_HEADER_BYTES + (dense ? entityCount : 0);
  const memberTable = new Uint8Array(memberCount * memberStride);
  for (let m = 0; m < memberCount; m++) {
    writeMemberHeader(memberTable, memberStride, m, roleIndexes[m] ?? MEMBER_ROLE_INDEX, masks[m] ?? 0);
  }
  const sparseGrants = dense ? null : new Map<number, number>();
  for (const grant of data.grants) {
    // Both lookups were checked in the loop above.
    const m = memberIndex.get(grant.memberId) ?? 0;
    const e = entityIndex.get(grant.entityId) ?? 0;
    const cell = sparseGrants === null ? m * memberStride + MEMBER_HEADER_BYTES + e : m * entityCount + e;
    const existing = sparseGrants === null ? (memberTable[cell] ?? 0) : (sparseGrants.get(cell) ?? 0);
    if (existing !== 0) return failure('ACCESS_DUPLICATE_GRANT', `${grant.memberId} ${grant.entityId}`);
    const rank = entityLevelRank(grant.level);
    if (sparseGrants === null) memberTable[cell] = rank;
    else sparseGrants.set(cell, rank);
  }

  const view: OrganizationAccessView = {
    organizationId: data.organizationId,
    memberIndex,
    memberIds: Object.freeze(memberIds),
    memberTable,
    memberStride,
    customRoleKeys: Object.freeze(customRoleKeys),
    entityIndex,
    entityIds: Object.freeze(entityIds),
    entityCount,
    sparseGrants,
  };
  return { ok: true, view: Object.freeze(view) };
}
