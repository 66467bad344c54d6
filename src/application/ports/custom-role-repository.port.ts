import type { OrganizationRole } from '../../domain/tenancy/organization-role.js';

/** Persistence of organizations' custom roles. Every method is scoped to one tenant. */
export interface CustomRoleRepository {
  /** The tenant's role with this key, or null (also when only another tenant has that key). */
  findByKey(tenantId: string, key: string): Promise<OrganizationRole | null>;
  /** The tenant's custom roles, oldest first. */
  list(tenantId: string): Promise<OrganizationRole[]>;
  /**
   * Inserts or updates. ACCESS_DUPLICATE_ROLE_KEY when the tenant already has the key,
   * TENANT_NOT_FOUND for an unknown tenant, CONCURRENT_MODIFICATION on a stale version.
   */
  save(role: OrganizationRole): Promise<void>;
  /**
   * Removes the tenant's role with this key and, in the same statement or transaction, takes the key
   * off every membership of the tenant that holds it (bumping those memberships' versions), so no
   * member ever references a missing role. Returns whether a role was removed.
   */
  delete(tenantId: string, key: string): Promise<boolean>;
}
