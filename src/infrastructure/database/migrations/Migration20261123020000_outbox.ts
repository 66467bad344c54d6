import { Migration } from '@mikro-orm/migrations';

/** Identifiers compare bytewise, as in the first migration. */
const ID = 'text collate "C"';

/**
 * The transactional mail outbox (docs/email.md). Rows are written in the transaction of the
 * change that causes the mail and claimed by workers with `FOR UPDATE SKIP LOCKED`; the partial
 * indexes keep that claim cheap however many sent rows pile up.
 */
export class Migration20261123020000_outbox extends Migration {
  override name = 'Migration20261123020000_outbox';

  override up(): void {
    this.addSql(`create table outbox_messages (
      id ${ID} primary key,
      recipient text not null,
      template text not null,
      data jsonb not null default '{}',
      state text not null default 'pending',
      attempts integer not null default 0,
      next_attempt_at timestamptz null,
      lease_until timestamptz null,
      last_error text null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      sent_at timestamptz null,
      constraint outbox_messages_state_check check (state in ('pending', 'sending', 'sent', 'failed')),
      constraint outbox_messages_attempts_check check (attempts >= 0),
      constraint outbox_messages_pending_due_check check (state <> 'pending' or next_attempt_at is not null),
      constraint outbox_messages_sending_lease_check check (state <> 'sending' or lease_until is not null)
    )`);
    this.addSql(`create index outbox_messages_pending_index on outbox_messages (next_attempt_at, id) where state = 'pending'`);
    this.addSql(`create index outbox_messages_sending_index on outbox_messages (lease_until) where state = 'sending'`);
    this.addSql('create index outbox_messages_recipient_index on outbox_messages (lower(recipient), created_at desc, id desc)');
    this.addSql('create index outbox_messages_created_at_index on outbox_messages (created_at desc, id desc)');
  }

  override down(): void {
    this.addSql('drop table if exists outbox_messages');
  }
}
