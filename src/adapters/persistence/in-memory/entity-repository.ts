import type { EntityRepository } from '../../../application/ports/entity-repository.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import type { Entity } from '../../../domain/tenancy/entity.js';
import { cascades } from './cascades.js';
import { constraints } from './constraint-checks.js';
import type { InMemoryStore } from './in-memory-store.js';
import { oldestFirst } from './oldest-first.js';
import { saveVersioned } from './versioned-table.js';

export class InMemoryEntityRepository implements EntityRepository {
  constructor(private readonly store: InMemoryStore) {}

  findById(tenantId: string, id: string): Promise<Entity | null> {
    return this.store.statement((t) => this.store.one([t.entities.get(id)].find((e) => e?.tenantId === tenantId)));
  }

  list(tenantId: string): Promise<Entity[]> {
    return this.store.statement((t) => this.store.many([...t.entities.values()].filter((e) => e.tenantId === tenantId).sort(oldestFirst)));
  }

  count(tenantId: string): Promise<number> {
    return this.store.statement((t) => [...t.entities.values()].filter((e) => e.tenantId === tenantId).length);
  }

  save(entity: Entity): Promise<void> {
    return this.store.statement((t) =>
      saveVersioned(t.entities, entity, this.store.persisted, {
        sameScope: (stored) => stored.tenantId === entity.tenantId,
        check: () => {
          constraints.organizationExists(t, entity.tenantId);
          if (entity.externalId === null) return;
          for (const other of t.entities.values()) {
            if (other.id !== entity.id && other.tenantId === entity.tenantId && other.type === entity.type && other.externalId === entity.externalId) {
              throw new DomainError('VALIDATION_FAILED', 'An entity of this type with this external id already exists');
            }
          }
        },
      }),
    );
  }

  delete(tenantId: string, id: string): Promise<boolean> {
    return this.store.statement((t) => cascades.deleteEntities(t, (e) => e.id === id && e.tenantId === tenantId) > 0);
  }
}
