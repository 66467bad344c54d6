import { LEVEL_MASKS, SYSTEM_ROLE_MASKS } from './access-masks.js';
import { DECISION_REASONS, decisionOf } from './decision.js';
import type { Decision } from './decision.js';
import { memberCustomMask, memberRoleIndex } from './member-table.js';
import type { OrganizationAccessView } from './organization-access-view.js';
import { ENTITY_PERMISSION_MASK, permissionBit } from './permission-mask.js';
import { RANK_BITS, RANK_MASK, resolveEntityRank } from './resolve-entity-rank.js';

const ORG_ROLE = DECISION_REASONS.indexOf('org_role');
const CUSTOM_ROLE = DECISION_REASONS.indexOf('custom_role');
const NOT_A_MEMBER = decisionOf(false, 0, DECISION_REASONS.indexOf('not_a_member'));
const UNKNOWN_ACTION = decisionOf(false, 0, DECISION_REASONS.indexOf('unknown_action'));

/**
 * May `memberId` perform `action` (a catalogued permission) in this organization, on `entityId`?
 *
 * - Organization actions (`member:*`, `billing:manage`, …) ignore `entityId`: allowed by the
 *   system role's permission set, else by a custom role, else denied (`org_role`).
 * - `entity:*` actions resolve the member's level on `entityId` (org admin/manager → grant →
 *   org viewer → none) and allow the action if that level holds it, else if a custom role holds
 *   it organization-wide (`custom_role`); a denial names the rule that set the level.
 *   Without `entityId` the question is "on every entity": only organization-wide levels count.
 *
 * Unknown members are denied with `not_a_member`, strings outside the catalogue with
 * `unknown_action`. The returned object is shared and frozen; nothing is allocated.
 */
export function decide(
  view: OrganizationAccessView,
  memberId: string,
  action: string,
  entityId?: string,
): Decision {
  const m = view.memberIndex.get(memberId);
  if (m === undefined) return NOT_A_MEMBER;
  const bit = permissionBit(action);
  if (bit === undefined) return UNKNOWN_ACTION;
  const flag = 1 << bit;
  const customMask = memberCustomMask(view, m);

  if ((flag & ENTITY_PERMISSION_MASK) === 0) {
    const roleMask = SYSTEM_ROLE_MASKS[memberRoleIndex(view, m)] ?? 0;
    if ((roleMask & flag) !== 0) return decisionOf(true, 0, ORG_ROLE);
    if ((customMask & flag) !== 0) return decisionOf(true, 0, CUSTOM_ROLE);
    return decisionOf(false, 0, ORG_ROLE);
  }

  const resolved = resolveEntityRank(view, m, entityId);
  const rank = resolved & RANK_MASK;
  const reason = resolved >>> RANK_BITS;
  if (((LEVEL_MASKS[rank] ?? 0) & flag) !== 0) return decisionOf(true, rank, reason);
  if ((customMask & flag) !== 0) return decisionOf(true, rank, CUSTOM_ROLE);
  return decisionOf(false, rank, reason);
}
