import type { Organization } from '../../domain/tenancy/organization.js';

/** Persistence of tenants. An organization is its own tenant, so lookups are by id or slug. */
export interface OrganizationRepository {
  /** The organization with this id, or null. */
  findById(id: string): Promise<Organization | null>;
  /** The organization with this slug, or null. */
  findBySlug(slug: string): Promise<Organization | null>;
  /** Organizations with these ids, in no particular order; unknown ids are skipped. */
  findManyByIds(ids: readonly string[]): Promise<Organization[]>;
  /** Organizations whose policy lets verified users of this email domain join just in time. */
  findByAllowedEmailDomain(domain: string): Promise<Organization[]>;
  /** The organization paid for by this billing customer (Stripe `cus_…`), or null. */
  findByBillingCustomerId(customerId: string): Promise<Organization | null>;
  /**
   * Inserts or updates. Fails with TENANT_SLUG_TAKEN on a duplicate slug and with
   * CONCURRENT_MODIFICATION when the stored version moved since this one was read.
   */
  save(org: Organization): Promise<void>;
  /** Deletes the organization and every row it owns. */
  delete(id: string): Promise<void>;
  /**
   * Serializes writers of one tenant until the surrounding unit of work ends
   * (row lock). Used where an invariant spans several rows, e.g. "one admin remains".
   */
  lock(id: string): Promise<void>;
}
