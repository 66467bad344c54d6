import type { EntityGrantRepository } from '../../../application/ports/entity-grant-repository.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import type { EntityAccessGrant } from '../../../domain/tenancy/entity-access-grant.js';
import { constraints } from './constraint-checks.js';
import type { InMemoryStore, Tables } from './in-memory-store.js';
import { oldestFirst } from './oldest-first.js';
import { saveVersioned } from './versioned-table.js';

export class InMemoryEntityGrantRepository implements EntityGrantRepository {
  constructor(private readonly store: InMemoryStore) {}

  find(tenantId: string, entityId: string, membershipId: string): Promise<EntityAccessGrant | null> {
    return this.store.statement((t) => this.store.one(findGrant(t, tenantId, entityId, membershipId)));
  }

  listByEntity(tenantId: string, entityId: string): Promise<EntityAccessGrant[]> {
    return this.store.statement((t) =>
      this.store.many([...t.entityGrants.values()].filter((g) => g.tenantId === tenantId && g.entityId === entityId).sort(oldestFirst)),
    );
  }

  save(grant: EntityAccessGrant): Promise<void> {
    return this.store.statement((t) =>
      saveVersioned(t.entityGrants, grant, this.store.persisted, {
        sameScope: (stored) => stored.tenantId === grant.tenantId && stored.entityId === grant.entityId && stored.membershipId === grant.membershipId,
        check: () => {
          constraints.organizationExists(t, grant.tenantId);
          // Composite foreign keys (tenant_id, entity_id) and (tenant_id, membership_id): same tenant or nothing.
          if (t.entities.get(grant.entityId)?.tenantId !== grant.tenantId) throw new DomainError('ENTITY_NOT_FOUND', 'Entity not found');
          if (t.memberships.get(grant.membershipId)?.tenantId !== grant.tenantId) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
          const existing = findGrant(t, grant.tenantId, grant.entityId, grant.membershipId);
          if (existing && existing.id !== grant.id) {
            throw new DomainError('ACCESS_DUPLICATE_GRANT', 'This member already has a grant on this entity; change it instead');
          }
        },
      }),
    );
  }

  delete(tenantId: string, entityId: string, membershipId: string): Promise<boolean> {
    return this.store.statement((t) => {
      const grant = findGrant(t, tenantId, entityId, membershipId);
      return grant !== undefined && t.entityGrants.delete(grant.id);
    });
  }
}

function findGrant(t: Tables, tenantId: string, entityId: string, membershipId: string): EntityAccessGrant | undefined {
  for (const g of t.entityGrants.values()) if (g.tenantId === tenantId && g.entityId === entityId && g.membershipId === membershipId) return g;
  return undefined;
}
