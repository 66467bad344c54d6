import type { EntityAccessGrant } from '../../domain/tenancy/entity-access-grant.js';

/**
 * Persistence of per-entity grants. Every method is scoped to one tenant. A grant goes with its
 * entity and with its membership (the store cascades both deletions).
 */
export interface EntityGrantRepository {
  /** The grant of this member on this entity inside this tenant, or null. */
  find(tenantId: string, entityId: string, membershipId: string): Promise<EntityAccessGrant | null>;
  /** The grants on one entity of the tenant, oldest first. */
  listByEntity(tenantId: string, entityId: string): Promise<EntityAccessGrant[]>;
  /**
   * Inserts or updates. ACCESS_DUPLICATE_GRANT when the member already has a grant on the entity;
   * ENTITY_NOT_FOUND / MEMBER_NOT_FOUND when the entity / membership does not exist in the grant's
   * tenant (a grant never links two tenants); CONCURRENT_MODIFICATION on a stale version.
   */
  save(grant: EntityAccessGrant): Promise<void>;
  /** Removes the tenant's grant of this member on this entity; returns whether one was removed. */
  delete(tenantId: string, entityId: string, membershipId: string): Promise<boolean>;
}
