import { Migration } from '@mikro-orm/migrations';

/** Identifiers compare bytewise, as in the first migration. */
const ID = 'text collate "C"';

/**
 * The local mirror of an external identity provider (Stytch mode, docs/identity-providers.md):
 * which provider organization / member is which Gatehouse organization / membership, the
 * provider time of the newest state applied (deliveries arrive in any order) and tombstones of
 * deleted objects; and the idempotency ledger of the provider's webhooks.
 *
 * `identity_links.tenant_id` references organizations ON DELETE CASCADE: an organization deleted
 * in Gatehouse takes its links with it (its data is gone, nothing is left to protect), while an
 * archived one — what a provider deletion does — keeps them, tombstones included. Constraint
 * names are mapped in mikro-orm/constraint-errors.ts.
 */
export class Migration20261204010000_identity_links extends Migration {
  override name = 'Migration20261204010000_identity_links';

  override up(): void {
    this.addSql(`create table identity_links (
      kind text not null,
      external_id ${ID} not null,
      local_id ${ID} not null,
      tenant_id ${ID} not null,
      source_updated_at timestamptz null,
      deleted_at timestamptz null,
      seq bigint generated always as identity,
      constraint identity_links_pkey primary key (kind, external_id),
      constraint identity_links_kind_local_id_key unique (kind, local_id),
      constraint identity_links_tenant_id_fkey foreign key (tenant_id) references organizations (id) on delete cascade,
      constraint identity_links_kind_check check (kind in ('organization', 'member'))
    )`);
    this.addSql('create index identity_links_tenant_id_index on identity_links (tenant_id, kind, seq)');
    // Written first in the transaction of the event's effect: the primary key is the idempotency check.
    this.addSql(`create table identity_events (
      event_id ${ID} primary key,
      object_type text not null,
      action text not null,
      received_at timestamptz not null
    )`);
    this.addSql('create index identity_events_received_at_index on identity_events (received_at)');
  }

  override down(): void {
    this.addSql('drop table if exists identity_events');
    this.addSql('drop table if exists identity_links');
  }
}
