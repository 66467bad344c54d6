import type { EntityGrantRepository } from '../../../application/ports/entity-grant-repository.port.js';
import type { EntityAccessGrant } from '../../../domain/tenancy/entity-access-grant.js';
import { translated } from './constraint-errors.js';
import { EntityGrantSchema } from './schema/entity-grant.schema.js';
import type { TransactionScope } from './transaction-scope.js';
import { loaded, saveVersioned } from './versioned-save.js';

/** Entity grants in PostgreSQL, always filtered by tenant_id. */
export class MikroOrmEntityGrantRepository implements EntityGrantRepository {
  constructor(private readonly scope: TransactionScope) {}

  async find(tenantId: string, entityId: string, membershipId: string): Promise<EntityAccessGrant | null> {
    const grant = await this.scope.em().findOne(EntityGrantSchema, { tenantId, entityId, membershipId }, { disableIdentityMap: true });
    return grant ? loaded(grant) : null;
  }

  async listByEntity(tenantId: string, entityId: string): Promise<EntityAccessGrant[]> {
    const rows = await this.scope.em().find(EntityGrantSchema, { tenantId, entityId }, { disableIdentityMap: true, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(loaded);
  }

  save(grant: EntityAccessGrant): Promise<void> {
    return saveVersioned(this.scope, EntityGrantSchema, grant, {
      primaryKey: 'entity_grants_pkey',
      where: { tenantId: grant.tenantId, entityId: grant.entityId, membershipId: grant.membershipId },
      columns: {
        tenantId: grant.tenantId,
        entityId: grant.entityId,
        membershipId: grant.membershipId,
        level: grant.level,
        createdAt: grant.createdAt,
        updatedAt: grant.updatedAt,
      },
    });
  }

  async delete(tenantId: string, entityId: string, membershipId: string): Promise<boolean> {
    return (await translated(() => this.scope.em().nativeDelete(EntityGrantSchema, { tenantId, entityId, membershipId }))) > 0;
  }
}
