import type { IdentityLink, IdentityLinkKind, IdentityLinkRepository } from '../../../application/ports/identity-link-repository.port.js';
import { translated } from './constraint-errors.js';
import { IdentityLinkSchema } from './schema/identity-link.schema.js';
import type { TransactionScope } from './transaction-scope.js';

type LinkRow = typeof IdentityLinkSchema extends { '~entity': infer E } ? E : never;

/**
 * The identity mirror's links in PostgreSQL (`identity_links`). A save is one upsert on the
 * primary key (kind, external_id), so two writers of the same link never both insert; the unique
 * (kind, local_id) refuses a second external object for one local object (CONCURRENT_MODIFICATION,
 * via constraint-errors.ts), and the foreign key an unknown organization (TENANT_NOT_FOUND). The
 * write runs under a savepoint, so the caller's unit of work survives a refusal.
 */
export class MikroOrmIdentityLinkRepository implements IdentityLinkRepository {
  constructor(private readonly scope: TransactionScope) {}

  async findByExternal(kind: IdentityLinkKind, externalId: string): Promise<IdentityLink | null> {
    const row = await this.scope.em().findOne(IdentityLinkSchema, { kind, externalId }, { disableIdentityMap: true });
    return row ? toLink(row) : null;
  }

  async findByLocal(kind: IdentityLinkKind, localId: string): Promise<IdentityLink | null> {
    const row = await this.scope.em().findOne(IdentityLinkSchema, { kind, localId }, { disableIdentityMap: true });
    return row ? toLink(row) : null;
  }

  async save(link: IdentityLink): Promise<void> {
    await translated(() =>
      this.scope.write((em) =>
        em.execute(
          `insert into identity_links (kind, external_id, local_id, tenant_id, source_updated_at, deleted_at) values (?, ?, ?, ?, ?, ?)
           on conflict (kind, external_id) do update set
             local_id = excluded.local_id, tenant_id = excluded.tenant_id,
             source_updated_at = excluded.source_updated_at, deleted_at = excluded.deleted_at`,
          [link.kind, link.externalId, link.localId, link.tenantId, link.sourceUpdatedAt, link.deletedAt],
        ),
      ),
    );
  }

  async listMembersOf(tenantId: string): Promise<IdentityLink[]> {
    const rows = await this.scope.em().find(IdentityLinkSchema, { kind: 'member', tenantId }, { disableIdentityMap: true, orderBy: { seq: 'asc' } });
    return rows.map(toLink);
  }
}

function toLink(row: LinkRow): IdentityLink {
  return {
    kind: row.kind,
    externalId: row.externalId,
    localId: row.localId,
    tenantId: row.tenantId,
    sourceUpdatedAt: row.sourceUpdatedAt ?? null,
    deletedAt: row.deletedAt ?? null,
  };
}
