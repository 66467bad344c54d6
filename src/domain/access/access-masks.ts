import { ENTITY_LEVELS, ENTITY_LEVEL_PERMISSIONS, entityLevelRank } from './entity-level.js';
import { permissionMaskOf } from './permission-mask.js';
import { SYSTEM_ROLES, SYSTEM_ROLE_ENTITY_LEVEL, SYSTEM_ROLE_PERMISSIONS } from './system-role.js';

// Precomputed tables behind `decide`, indexed by small integers so the hot path reads typed
// arrays instead of records. Typed arrays cannot be frozen: nothing writes them after load.

/** `LEVEL_MASKS[rank]`: entity permission mask of a level rank (0 = no access … 4 = admin). */
export const LEVEL_MASKS: Int32Array = Int32Array.from([
  0,
  ...ENTITY_LEVELS.map((level) => permissionMaskOf(ENTITY_LEVEL_PERMISSIONS[level])),
]);

/** `SYSTEM_ROLE_MASKS[role]`: organization-wide permission mask of `SYSTEM_ROLES[role]`. */
export const SYSTEM_ROLE_MASKS: Int32Array = Int32Array.from(
  SYSTEM_ROLES.map((role) => permissionMaskOf(SYSTEM_ROLE_PERMISSIONS[role])),
);

/** `SYSTEM_ROLE_LEVEL_RANKS[role]`: level rank `SYSTEM_ROLES[role]` confers on every entity. */
export const SYSTEM_ROLE_LEVEL_RANKS: Uint8Array = Uint8Array.from(
  SYSTEM_ROLES.map((role) => entityLevelRank(SYSTEM_ROLE_ENTITY_LEVEL[role])),
);

/** Index of `member`, the least privileged fallback for reads that cannot miss. */
export const MEMBER_ROLE_INDEX: number = SYSTEM_ROLES.indexOf('member');
