import type { EntityRepository } from '../../../application/ports/entity-repository.port.js';
import type { Entity } from '../../../domain/tenancy/entity.js';
import { translated } from './constraint-errors.js';
import { EntitySchema } from './schema/entity.schema.js';
import type { TransactionScope } from './transaction-scope.js';
import { loaded, saveVersioned } from './versioned-save.js';

/** Tenant resources in PostgreSQL, always filtered by tenant_id. */
export class MikroOrmEntityRepository implements EntityRepository {
  constructor(private readonly scope: TransactionScope) {}

  async findById(tenantId: string, id: string): Promise<Entity | null> {
    const entity = await this.scope.em().findOne(EntitySchema, { id, tenantId }, { disableIdentityMap: true });
    return entity ? loaded(entity) : null;
  }

  async list(tenantId: string): Promise<Entity[]> {
    const rows = await this.scope.em().find(EntitySchema, { tenantId }, { disableIdentityMap: true, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(loaded);
  }

  count(tenantId: string): Promise<number> {
    return this.scope.em().count(EntitySchema, { tenantId });
  }

  save(entity: Entity): Promise<void> {
    return saveVersioned(this.scope, EntitySchema, entity, {
      primaryKey: 'entities_pkey',
      where: { tenantId: entity.tenantId },
      columns: {
        tenantId: entity.tenantId,
        type: entity.type,
        name: entity.name,
        externalId: entity.externalId,
        createdAt: entity.createdAt,
        updatedAt: entity.updatedAt,
      },
    });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    return (await translated(() => this.scope.em().nativeDelete(EntitySchema, { id, tenantId }))) > 0;
  }
}
