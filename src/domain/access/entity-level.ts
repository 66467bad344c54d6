import type { EntityPermission } from './permission.js';

/**
 * Entity access levels, lowest first: `viewer < editor < manager < admin`.
 * Each level holds every permission of the levels below it.
 */
export const ENTITY_LEVELS = ['viewer', 'editor', 'manager', 'admin'] as const;

/** An access level on one entity. `null` is used throughout for "no access". */
export type EntityLevel = (typeof ENTITY_LEVELS)[number];

/**
 * The entity permissions of each level:
 * viewer: view; editor: + edit, create; manager: + delete, share; admin: + manage_permissions.
 */
export const ENTITY_LEVEL_PERMISSIONS: Readonly<Record<EntityLevel, readonly EntityPermission[]>> =
  Object.freeze({
    viewer: Object.freeze(['entity:view'] as const),
    editor: Object.freeze(['entity:view', 'entity:edit', 'entity:create'] as const),
    manager: Object.freeze([
      'entity:view',
      'entity:edit',
      'entity:create',
      'entity:delete',
      'entity:share',
    ] as const),
    admin: Object.freeze([
      'entity:view',
      'entity:edit',
      'entity:create',
      'entity:delete',
      'entity:share',
      'entity:manage_permissions',
    ] as const),
  });

/** Narrows an untrusted value to an entity level (exact, case-sensitive). */
export function isEntityLevel(value: unknown): value is EntityLevel {
  return typeof value === 'string' && (ENTITY_LEVELS as readonly string[]).includes(value);
}

/**
 * Rank of a level for comparisons: `null` (no access) is 0, `viewer` 1 … `admin` 4.
 * Also the small integer stored per grant in an `OrganizationAccessView`.
 */
export function entityLevelRank(level: EntityLevel | null): number {
  return level === null ? 0 : ENTITY_LEVELS.indexOf(level) + 1;
}

/** Inverse of {@link entityLevelRank}; ranks outside 1–4 give `null`. */
export function entityLevelOfRank(rank: number): EntityLevel | null {
  return ENTITY_LEVELS[rank - 1] ?? null;
}
