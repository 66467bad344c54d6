import { entityLevelRank, isEntityLevel } from './entity-level.js';
import type { EntityLevel } from './entity-level.js';

/** Why a grant was refused by {@link canGrant}. */
export type GrantRefusal = 'share_required' | 'above_own_level' | 'invalid_level';

/** Result of {@link canGrant}. */
export type GrantCheck =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: GrantRefusal };

const MANAGER_RANK = entityLevelRank('manager');
const ALLOWED: GrantCheck = Object.freeze({ allowed: true });
const SHARE_REQUIRED: GrantCheck = Object.freeze({ allowed: false, reason: 'share_required' });
const ABOVE_OWN_LEVEL: GrantCheck = Object.freeze({ allowed: false, reason: 'above_own_level' });
const INVALID_LEVEL: GrantCheck = Object.freeze({ allowed: false, reason: 'invalid_level' });

/**
 * Anti-escalation rule for entity grants. Granting needs at least `manager` on the entity
 * (the level that holds `entity:share`), and nobody grants a level above their own there:
 * a manager grants viewer, editor or manager; only an entity admin grants admin.
 *
 * `actorLevel` is the actor's level on that entity, `grantingLevel(view, actor, entityId)`.
 * To change or revoke an existing grant, also check `canGrant(actorLevel, existingLevel)`, so a
 * manager cannot downgrade an admin's grant.
 */
export function canGrant(actorLevel: EntityLevel | null, requestedLevel: EntityLevel): GrantCheck {
  // Runtime guard: an unchecked string would otherwise rank 0 and pass as "below my level".
  if (!isEntityLevel(requestedLevel)) return INVALID_LEVEL;
  const actorRank = isEntityLevel(actorLevel) ? entityLevelRank(actorLevel) : 0;
  if (actorRank < MANAGER_RANK) return SHARE_REQUIRED;
  if (entityLevelRank(requestedLevel) > actorRank) return ABOVE_OWN_LEVEL;
  return ALLOWED;
}
