import type { Entity } from '../../domain/tenancy/entity.js';

/** Persistence of tenant resources. Every method is scoped to one tenant. */
export interface EntityRepository {
  /** The entity with this id in this tenant, or null (also when it belongs to another tenant). */
  findById(tenantId: string, id: string): Promise<Entity | null>;
  /** The tenant's entities, oldest first. */
  list(tenantId: string): Promise<Entity[]>;
  /** How many entities the tenant has. */
  count(tenantId: string): Promise<number>;
  /** Inserts or updates; CONCURRENT_MODIFICATION on a stale version. */
  save(entity: Entity): Promise<void>;
  /** Removes the entity if it is in this tenant; returns whether a row was removed. */
  delete(tenantId: string, id: string): Promise<boolean>;
}
