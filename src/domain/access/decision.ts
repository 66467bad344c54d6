import { ENTITY_LEVELS, entityLevelOfRank } from './entity-level.js';
import type { EntityLevel } from './entity-level.js';

/**
 * Which rule produced a decision. For a denial it names the rule whose level or permission set
 * was found insufficient (e.g. `grant` when an editor grant does not allow `entity:delete`).
 *
 * - `org_role`: the system role (admin/manager level on every entity, or its organization permissions)
 * - `grant`: an explicit per-entity grant
 * - `org_viewer`: the viewer system role's viewer level on every entity
 * - `custom_role`: a custom role carrying the permission organization-wide
 * - `no_grant`: a member with no grant on that entity and no custom role allowing the action
 * - `not_a_member`: the subject is not a member of this organization
 * - `unknown_action`: the action is not in the permission catalogue
 */
export const DECISION_REASONS = [
  'org_role',
  'grant',
  'org_viewer',
  'custom_role',
  'no_grant',
  'not_a_member',
  'unknown_action',
] as const;

/** One of {@link DECISION_REASONS}. */
export type DecisionReason = (typeof DECISION_REASONS)[number];

/**
 * Outcome of an access check. `level` is the member's resolved level on the entity asked about
 * (or organization-wide when no entity was given) for `entity:*` actions, and `null` otherwise.
 *
 * Decisions are shared, frozen objects: compare fields, never identity.
 */
export interface Decision {
  readonly allowed: boolean;
  readonly level: EntityLevel | null;
  readonly reason: DecisionReason;
}

const LEVEL_SLOTS = ENTITY_LEVELS.length + 1;

const TABLE: readonly Decision[] = Object.freeze(
  DECISION_REASONS.flatMap((reason) =>
    Array.from({ length: LEVEL_SLOTS }, (_, rank) =>
      [false, true].map((allowed) =>
        Object.freeze({ allowed, level: entityLevelOfRank(rank), reason }),
      ),
    ).flat(),
  ),
);

const UNKNOWN_ACTION: Decision = Object.freeze({
  allowed: false,
  level: null,
  reason: 'unknown_action',
});

/**
 * Pre-allocated decision for (allowed, level rank 0–4, index into {@link DECISION_REASONS}).
 * Used by `decide` so the hot path allocates nothing. Callers pass in-range values only; an
 * index past the end of the table yields the deny `unknown_action` decision.
 */
export function decisionOf(allowed: boolean, levelRank: number, reasonIndex: number): Decision {
  return (
    TABLE[(reasonIndex * LEVEL_SLOTS + levelRank) * 2 + (allowed ? 1 : 0)] ?? UNKNOWN_ACTION
  );
}

