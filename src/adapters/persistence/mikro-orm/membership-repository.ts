import type { MembershipRepository } from '../../../application/ports/membership-repository.port.js';
import type { Membership } from '../../../domain/tenancy/membership.js';
import { translated } from './constraint-errors.js';
import { MembershipSchema } from './schema/membership.schema.js';
import type { TransactionScope } from './transaction-scope.js';
import { loaded, saveVersioned } from './versioned-save.js';

/** Memberships in PostgreSQL. Every tenant-scoped statement filters on tenant_id as well as the id. */
export class MikroOrmMembershipRepository implements MembershipRepository {
  constructor(private readonly scope: TransactionScope) {}

  async findById(tenantId: string, id: string): Promise<Membership | null> {
    const membership = await this.scope.em().findOne(MembershipSchema, { id, tenantId }, { disableIdentityMap: true });
    return membership ? loaded(membership) : null;
  }

  async findByUser(tenantId: string, userId: string): Promise<Membership | null> {
    const membership = await this.scope.em().findOne(MembershipSchema, { tenantId, userId }, { disableIdentityMap: true });
    return membership ? loaded(membership) : null;
  }

  async listByTenant(tenantId: string): Promise<Membership[]> {
    const rows = await this.scope.em().find(MembershipSchema, { tenantId }, { disableIdentityMap: true, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(loaded);
  }

  async listByUser(userId: string): Promise<Membership[]> {
    const rows = await this.scope.em().find(MembershipSchema, { userId }, { disableIdentityMap: true, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(loaded);
  }

  save(membership: Membership): Promise<void> {
    return saveVersioned(this.scope, MembershipSchema, membership, {
      primaryKey: 'memberships_pkey',
      where: { tenantId: membership.tenantId },
      columns: {
        tenantId: membership.tenantId,
        userId: membership.userId,
        role: membership.role,
        customRoles: membership.customRoles,
        status: membership.status,
        createdAt: membership.createdAt,
        updatedAt: membership.updatedAt,
      },
    });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    return (await translated(() => this.scope.em().nativeDelete(MembershipSchema, { id, tenantId }))) > 0;
  }
}
