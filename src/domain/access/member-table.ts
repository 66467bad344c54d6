import { MEMBER_ROLE_INDEX } from './access-masks.js';
import type { OrganizationAccessView } from './organization-access-view.js';

// Layout of `OrganizationAccessView.memberTable`, one row of `memberStride` bytes per member:
//   byte 0      index into SYSTEM_ROLES
//   bytes 1–4   custom-role permission mask, little-endian
//   bytes 5…    one level rank per interned entity (dense grants only)
// One allocation per organization keeps a member's role, mask and grants on neighbouring cache
// lines; separate typed arrays cost a cache miss each on a cold view.

/** Bytes before the grant ranks in a member row. */
export const MEMBER_HEADER_BYTES = 5;

/** Index into `SYSTEM_ROLES` of interned member `m`. */
export function memberRoleIndex(view: OrganizationAccessView, m: number): number {
  return view.memberTable[m * view.memberStride] ?? MEMBER_ROLE_INDEX;
}

/** Union of the custom-role permission masks of interned member `m`. */
export function memberCustomMask(view: OrganizationAccessView, m: number): number {
  const table = view.memberTable;
  const at = m * view.memberStride + 1;
  return (
    (table[at] ?? 0) |
    ((table[at + 1] ?? 0) << 8) |
    ((table[at + 2] ?? 0) << 16) |
    ((table[at + 3] ?? 0) << 24)
  );
}

/** Level rank of member `m`'s explicit grant on `entityId`, 0 when there is none. */
export function grantRank(view: OrganizationAccessView, m: number, entityId: string): number {
  const e = view.entityIndex.get(entityId);
  if (e === undefined) return 0;
  const sparse = view.sparseGrants;
  if (sparse !== null) return sparse.get(m * view.entityCount + e) ?? 0;
  return view.memberTable[m * view.memberStride + MEMBER_HEADER_BYTES + e] ?? 0;
}

/** Writes member `m`'s header; used once, while building the view. */
export function writeMemberHeader(
  table: Uint8Array,
  stride: number,
  m: number,
  roleIndex: number,
  customMask: number,
): void {
  const at = m * stride;
  table[at] = roleIndex;
  table[at + 1] = customMask & 0xff;
  table[at + 2] = (customMask >>> 8) & 0xff;
  table[at + 3] = (customMask >>> 16) & 0xff;
  table[at + 4] = (customMask >>> 24) & 0xff;
}
