/**
 * The closed catalogue of Gatehouse permissions, each a `resource:action` string.
 *
 * The position of a permission in {@link PERMISSIONS} is its bit in a permission mask
 * (see `permission-mask.ts`). Masks only live in memory, but keep the list append-only
 * anyway so that diffs stay readable and no mask ever reaches bit 31.
 */
export const PERMISSIONS = [
  'entity:view',
  'entity:edit',
  'entity:create',
  'entity:delete',
  'entity:share',
  'entity:manage_permissions',
  'member:read',
  'member:invite',
  'member:manage',
  'role:manage',
  'organization:read',
  'organization:update',
  'organization:delete',
  'billing:manage',
  'audit:read',
  'credits:spend',
  'credits:read',
] as const;

/** A permission from the closed catalogue, e.g. `entity:edit` or `billing:manage`. */
export type Permission = (typeof PERMISSIONS)[number];

/** A permission that applies to a single entity (boat, aircraft, …) rather than to the organization. */
export type EntityPermission = Extract<Permission, `entity:${string}`>;

const CATALOGUE: ReadonlySet<string> = new Set<string>(PERMISSIONS);

/**
 * Narrows an untrusted value (request body, stored role) to a catalogued permission.
 * Exact, case-sensitive match: `ENTITY:VIEW` and `entity:*` are not permissions.
 */
export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && CATALOGUE.has(value);
}

/** True for the `entity:*` permissions, which are resolved per entity through entity levels. */
export function isEntityPermission(permission: Permission): permission is EntityPermission {
  return permission.startsWith('entity:');
}
