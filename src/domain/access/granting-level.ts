import { LEVEL_MASKS } from './access-masks.js';
import { ENTITY_LEVELS, entityLevelOfRank } from './entity-level.js';
import type { EntityLevel } from './entity-level.js';
import { memberCustomMask } from './member-table.js';
import type { OrganizationAccessView } from './organization-access-view.js';
import { ENTITY_PERMISSION_MASK } from './permission-mask.js';
import { RANK_MASK, resolveEntityRank } from './resolve-entity-rank.js';

/**
 * The highest entity level whose every permission `memberId` holds on `entityId`, counting both
 * the resolved level and custom-role entity permissions; `null` for none or a non-member.
 * This is the `actorLevel` to pass to `canGrant`.
 *
 * A custom role carrying `entity:view` … `entity:share` therefore acts as manager on every
 * entity; one carrying only `entity:share` grants nothing, since it lacks the rest of `manager`.
 */
export function grantingLevel(
  view: OrganizationAccessView,
  memberId: string,
  entityId: string,
): EntityLevel | null {
  const m = view.memberIndex.get(memberId);
  if (m === undefined) return null;
  const resolvedRank = resolveEntityRank(view, m, entityId) & RANK_MASK;
  const held =
    (LEVEL_MASKS[resolvedRank] ?? 0) | (memberCustomMask(view, m) & ENTITY_PERMISSION_MASK);
  for (let rank = ENTITY_LEVELS.length; rank > 0; rank--) {
    const needed = LEVEL_MASKS[rank] ?? 0;
    if ((needed & held) === needed) return entityLevelOfRank(rank);
  }
  return null;
}
