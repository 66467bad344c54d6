import type { Membership } from '../../domain/tenancy/membership.js';

/** Persistence of memberships. Every tenant-scoped method takes the tenant id first. */
export interface MembershipRepository {
  /** The membership with this id inside this tenant, or null (also when it belongs to another tenant). */
  findById(tenantId: string, id: string): Promise<Membership | null>;
  /** The user's membership in this tenant, or null. */
  findByUser(tenantId: string, userId: string): Promise<Membership | null>;
  /** All memberships of a tenant, oldest first. */
  listByTenant(tenantId: string): Promise<Membership[]>;
  /** All memberships of a user across tenants. */
  listByUser(userId: string): Promise<Membership[]>;
  /** Inserts or updates; MEMBER_ALREADY_EXISTS when the user is already a member; CONCURRENT_MODIFICATION on a stale version. */
  save(membership: Membership): Promise<void>;
  /** Removes the membership if it is in this tenant; returns whether a row was removed. */
  delete(tenantId: string, id: string): Promise<boolean>;
}
