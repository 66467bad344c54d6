import { SYSTEM_ROLE_LEVEL_RANKS } from './access-masks.js';
import { DECISION_REASONS } from './decision.js';
import { entityLevelRank } from './entity-level.js';
import { grantRank, memberRoleIndex } from './member-table.js';
import type { OrganizationAccessView } from './organization-access-view.js';

const MANAGER_RANK = entityLevelRank('manager');
const ORG_ROLE = DECISION_REASONS.indexOf('org_role');
const GRANT = DECISION_REASONS.indexOf('grant');
const ORG_VIEWER = DECISION_REASONS.indexOf('org_viewer');
const NO_GRANT = DECISION_REASONS.indexOf('no_grant');

/** Bits of the packed result holding the level rank (0–4); the reason index sits above them. */
export const RANK_BITS = 3;

/** Mask extracting the level rank from a packed result. */
export const RANK_MASK = (1 << RANK_BITS) - 1;

/**
 * Resolves the entity level of interned member `m`, in the documented order:
 *
 * 1. org admin or manager: that level on every entity (a grant never changes it);
 * 2. an explicit grant on the entity: that level (lifts a member or a viewer);
 * 3. org viewer: viewer on every entity;
 * 4. otherwise (a member without a grant): no access.
 *
 * Without `entityId` only the organization-wide level of steps 1 and 3 applies.
 * Returns `(reasonIndex << RANK_BITS) | rank` so the hot path allocates nothing.
 */
export function resolveEntityRank(
  view: OrganizationAccessView,
  m: number,
  entityId: string | undefined,
): number {
  const orgRank = SYSTEM_ROLE_LEVEL_RANKS[memberRoleIndex(view, m)] ?? 0;
  if (orgRank >= MANAGER_RANK) return (ORG_ROLE << RANK_BITS) | orgRank;
  if (entityId !== undefined) {
    const granted = grantRank(view, m, entityId);
    if (granted > 0) return (GRANT << RANK_BITS) | granted;
  }
  if (orgRank > 0) return (ORG_VIEWER << RANK_BITS) | orgRank;
  return (entityId === undefined ? ORG_ROLE : NO_GRANT) << RANK_BITS;
}
