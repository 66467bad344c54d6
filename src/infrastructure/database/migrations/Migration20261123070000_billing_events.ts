import { Migration } from '@mikro-orm/migrations';

/** Identifiers compare bytewise, as in the first migration. */
const ID = 'text collate "C"';

/**
 * Webhook processing (docs/billing.md): the idempotency ledger of billing events, the
 * provisioning state of checkout sessions (for the pending page), the onboarding checklist,
 * and the provider time of the newest billing state applied to an organization (so an
 * out-of-order delivery never overwrites newer state).
 */
export class Migration20261123070000_billing_events extends Migration {
  override name = 'Migration20261123070000_billing_events';

  override up(): void {
    // Written first in the transaction of the event's effect: the primary key is the idempotency check.
    this.addSql(`create table processed_billing_events (
      event_id ${ID} primary key,
      kind text not null,
      occurred_at timestamptz not null,
      received_at timestamptz not null
    )`);
    this.addSql('create index processed_billing_events_received_at_index on processed_billing_events (received_at)');
    // No foreign key to organizations: the status of a checkout outlives a deleted organization.
    this.addSql(`create table billing_checkouts (
      session_id ${ID} primary key,
      state text not null,
      organization_id ${ID} null,
      attempts integer not null default 0,
      last_error text null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      constraint billing_checkouts_state_check check (state in ('pending', 'provisioning', 'active', 'failed')),
      constraint billing_checkouts_attempts_check check (attempts >= 0)
    )`);
    this.addSql(`create table onboarding_progress (
      tenant_id ${ID} primary key references organizations (id) on delete cascade,
      completed_steps jsonb not null default '[]',
      completed_at timestamptz null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('alter table organizations add column billing_updated_at timestamptz null');
  }

  override down(): void {
    this.addSql('alter table organizations drop column if exists billing_updated_at');
    this.addSql('drop table if exists onboarding_progress');
    this.addSql('drop table if exists billing_checkouts');
    this.addSql('drop table if exists processed_billing_events');
  }
}
