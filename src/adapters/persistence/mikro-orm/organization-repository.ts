import type { OrganizationRepository } from '../../../application/ports/organization-repository.port.js';
import type { Organization } from '../../../domain/tenancy/organization.js';
import { translated } from './constraint-errors.js';
import { type RawRow, text } from './raw-row.js';
import { OrganizationSchema } from './schema/organization.schema.js';
import type { TransactionScope } from './transaction-scope.js';
import { loaded, saveVersioned } from './versioned-save.js';

/** Organizations in PostgreSQL. Deleting one cascades (foreign keys) to every row it owns except audit events. */
export class MikroOrmOrganizationRepository implements OrganizationRepository {
  constructor(private readonly scope: TransactionScope) {}

  async findById(id: string): Promise<Organization | null> {
    const org = await this.scope.em().findOne(OrganizationSchema, { id }, { disableIdentityMap: true });
    return org ? loaded(org) : null;
  }

  async findBySlug(slug: string): Promise<Organization | null> {
    const org = await this.scope.em().findOne(OrganizationSchema, { slug }, { disableIdentityMap: true });
    return org ? loaded(org) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<Organization[]> {
    if (ids.length === 0) return [];
    const orgs = await this.scope.em().find(OrganizationSchema, { id: { $in: [...ids] } }, { disableIdentityMap: true });
    return orgs.map(loaded);
  }

  async findByAllowedEmailDomain(domain: string): Promise<Organization[]> {
    // jsonb containment with the domain as a bound parameter, never spliced into SQL.
    const rows = await this.scope
      .em()
      .getConnection()
      .execute<RawRow[]>(`select id from organizations where policy -> 'allowedEmailDomains' @> ?::jsonb`, [JSON.stringify([domain.toLowerCase()])]);
    return this.findManyByIds(rows.map((row) => text(row, 'id')));
  }

  async findByBillingCustomerId(customerId: string): Promise<Organization | null> {
    const org = await this.scope.em().findOne(OrganizationSchema, { billingCustomerId: customerId }, { disableIdentityMap: true });
    return org ? loaded(org) : null;
  }

  save(org: Organization): Promise<void> {
    return saveVersioned(this.scope, OrganizationSchema, org, {
      primaryKey: 'organizations_pkey',
      columns: {
        slug: org.slug,
        name: org.name,
        status: org.status,
        plan: org.plan,
        policy: org.policy,
        billingCustomerId: org.billingCustomerId,
        billingSubscriptionId: org.billingSubscriptionId,
        billingUpdatedAt: org.billingUpdatedAt,
        createdAt: org.createdAt,
        updatedAt: org.updatedAt,
      },
    });
  }

  async delete(id: string): Promise<void> {
    await translated(() => this.scope.em().nativeDelete(OrganizationSchema, { id }));
  }

  async lock(id: string): Promise<void> {
    // Outside a unit of work the lock would end with the statement; callers use it inside `uow.run`.
    await this.scope.em().execute('select 1 from organizations where id = ? for update', [id]);
  }
}
