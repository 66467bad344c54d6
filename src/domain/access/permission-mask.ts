import { PERMISSIONS, isEntityPermission } from './permission.js';
import type { Permission } from './permission.js';

/**
 * A set of permissions packed into one 32-bit integer: bit `i` is `PERMISSIONS[i]`.
 * The catalogue has 17 entries, so `1 << i` never touches the sign bit.
 */
export type PermissionMask = number;

const BIT_OF: ReadonlyMap<string, number> = new Map<string, number>(
  PERMISSIONS.map((permission, bit) => [permission, bit]),
);

/**
 * The bit of a permission, or `undefined` for any string outside the catalogue.
 * This is the hot-path action lookup: one `Map` probe, no allocation.
 */
export function permissionBit(action: string): number | undefined {
  return BIT_OF.get(action);
}

/** Packs permissions into a mask; duplicates are harmless. */
export function permissionMaskOf(permissions: Iterable<Permission>): PermissionMask {
  let mask = 0;
  for (const permission of permissions) {
    const bit = BIT_OF.get(permission);
    if (bit !== undefined) mask |= 1 << bit;
  }
  return mask;
}

/** Unpacks a mask into permissions, in catalogue order. */
export function permissionsOfMask(mask: PermissionMask): Permission[] {
  const permissions: Permission[] = [];
  for (let bit = 0; bit < PERMISSIONS.length; bit++) {
    if ((mask & (1 << bit)) !== 0) permissions.push(PERMISSIONS[bit] as Permission);
  }
  return permissions;
}

/** Mask of every `entity:*` permission; bits outside it are organization-wide permissions. */
export const ENTITY_PERMISSION_MASK: PermissionMask = permissionMaskOf(
  PERMISSIONS.filter(isEntityPermission),
);
