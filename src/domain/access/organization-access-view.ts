import type { CustomRole } from './custom-role.js';
import type { EntityLevel } from './entity-level.js';
import type { SystemRole } from './system-role.js';

/** One member of the organization as stored: exactly one system role plus custom role keys. */
export interface MemberAccess {
  readonly memberId: string;
  readonly systemRole: SystemRole;
  readonly customRoleKeys: readonly string[];
}

/** An explicit level for one member on one entity of the organization. */
export interface EntityGrant {
  readonly memberId: string;
  readonly entityId: string;
  readonly level: EntityLevel;
}

/** Everything that decides access in one organization; the input of `buildOrganizationAccessView`. */
export interface OrganizationAccessData {
  readonly organizationId: string;
  readonly members: readonly MemberAccess[];
  readonly customRoles: readonly CustomRole[];
  readonly grants: readonly EntityGrant[];
}

/**
 * Compiled, immutable access data of one organization, built once and cached per organization
 * (rebuild on any role, membership or grant change). Treat the fields as opaque: they exist so
 * `decide` can answer with a few `Map` probes and typed-array reads and no allocation.
 *
 * Ids are interned to small integers: member `m` is `memberIds[m]`, entity `e` is `entityIds[e]`
 * (only entities that carry a grant are interned; every other entity simply has no grant).
 * A grant is stored as its level rank (1 = viewer … 4 = admin, 0 = none): in member `m`'s row
 * of `memberTable` for small organizations, or in `sparseGrants` at `m * entityCount + e`.
 *
 * The view does not know which entities belong to the organization: callers must check that an
 * entity is owned by `organizationId` before asking, or an org admin would be admin of it.
 */
export interface OrganizationAccessView {
  readonly organizationId: string;
  readonly memberIndex: ReadonlyMap<string, number>;
  readonly memberIds: readonly string[];
  /**
   * One row of `memberStride` bytes per member: system role index, custom-role permission mask
   * and, for dense grants, one level rank per entity (layout in `member-table.ts`).
   */
  readonly memberTable: Uint8Array;
  readonly memberStride: number;
  /** Per member: its custom role keys, deduplicated (for `/me`). */
  readonly customRoleKeys: readonly (readonly string[])[];
  readonly entityIndex: ReadonlyMap<string, number>;
  readonly entityIds: readonly string[];
  readonly entityCount: number;
  /** Level ranks keyed by `m * entityCount + e`; `null` when grants live in `memberTable`. */
  readonly sparseGrants: ReadonlyMap<number, number> | null;
}
