import type { CustomRoleRepository } from '../../../application/ports/custom-role-repository.port.js';
import type { OrganizationRole } from '../../../domain/tenancy/organization-role.js';
import { translated } from './constraint-errors.js';
import type { RawRow } from './raw-row.js';
import { CustomRoleSchema } from './schema/custom-role.schema.js';
import type { TransactionScope } from './transaction-scope.js';
import { loaded, saveVersioned } from './versioned-save.js';

/** Custom roles in PostgreSQL, always filtered by tenant_id. */
export class MikroOrmCustomRoleRepository implements CustomRoleRepository {
  constructor(private readonly scope: TransactionScope) {}

  async findByKey(tenantId: string, key: string): Promise<OrganizationRole | null> {
    const role = await this.scope.em().findOne(CustomRoleSchema, { tenantId, key }, { disableIdentityMap: true });
    return role ? loaded(role) : null;
  }

  async list(tenantId: string): Promise<OrganizationRole[]> {
    const rows = await this.scope.em().find(CustomRoleSchema, { tenantId }, { disableIdentityMap: true, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(loaded);
  }

  save(role: OrganizationRole): Promise<void> {
    return saveVersioned(this.scope, CustomRoleSchema, role, {
      primaryKey: 'custom_roles_pkey',
      // The key is part of the match: an update can never move a row to another tenant or key.
      where: { tenantId: role.tenantId, key: role.key },
      columns: {
        tenantId: role.tenantId,
        key: role.key,
        name: role.name,
        permissions: role.permissions,
        createdAt: role.createdAt,
        updatedAt: role.updatedAt,
      },
    });
  }

  async delete(tenantId: string, key: string): Promise<boolean> {
    // One statement deletes the role and takes its key off the tenant's memberships (the cascade a
    // jsonb array cannot declare). Data-modifying CTEs always run, whatever the outer query reads.
    const rows = await translated(() =>
      this.scope.em().execute<RawRow[]>(
        `with removed as (delete from custom_roles where tenant_id = ? and key = ? returning tenant_id, key),
         unassigned as (
           update memberships m set custom_roles = m.custom_roles - removed.key, version = m.version + 1
           from removed where m.tenant_id = removed.tenant_id and m.custom_roles @> jsonb_build_array(removed.key)
           returning m.id)
         select (select count(*) from removed) as removed, (select count(*) from unassigned) as unassigned`,
        [tenantId, key],
      ),
    );
    return Number(rows[0]?.['removed'] ?? 0) > 0;
  }
}
