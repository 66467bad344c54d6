import type { OutboxRepository } from '../../../application/ports/outbox-repository.port.js';
import type { MailTemplate } from '../../../domain/mail/mail-template.js';
import { safeErrorText, type OutboxClaim, type OutboxMessage, type OutboxState } from '../../../domain/mail/outbox-message.js';
import { addSeconds } from '../../../domain/shared/clock.js';
import { translated } from './constraint-errors.js';
import { date, dateOrNull, json, text, textOrNull, type RawRow } from './raw-row.js';
import { OutboxMessageSchema } from './schema/outbox-message.schema.js';
import type { TransactionScope } from './transaction-scope.js';

/** Most messages `listRecent` returns. */
const MAX_LIST = 500;

/**
 * Claims up to N due messages in one statement. `FOR UPDATE SKIP LOCKED` makes concurrent
 * claimers pass over each other's rows instead of waiting for them; a row another claimer
 * updated meanwhile is re-checked against the WHERE clause on its new version (READ COMMITTED),
 * so it is no longer "due" and drops out. Oldest due first.
 */
const CLAIM_SQL = `
  with due as (
    select id from outbox_messages
    where (state = 'pending' and next_attempt_at <= ?) or (state = 'sending' and lease_until <= ?)
    order by next_attempt_at, id
    limit ?
    for update skip locked
  )
  update outbox_messages o
  set state = 'sending', attempts = o.attempts + 1, lease_until = ?, updated_at = ?
  from due
  where o.id = due.id
  returning o.*`;

/** The mail outbox in PostgreSQL (`outbox_messages`). */
export class MikroOrmOutboxRepository implements OutboxRepository {
  constructor(private readonly scope: TransactionScope) {}

  async add(message: OutboxMessage): Promise<void> {
    const { to, ...row } = message;
    // scope.write joins the current unit of work: the row commits or rolls back with the caller's change.
    await translated(() => this.scope.write((em) => em.insert(OutboxMessageSchema, { ...row, recipient: to })));
  }

  async claimDue(now: Date, limit: number, leaseSeconds: number): Promise<OutboxMessage[]> {
    if (limit < 1) return [];
    const rows = await this.scope.em().execute<RawRow[]>(CLAIM_SQL, [now, now, Math.trunc(limit), addSeconds(now, leaseSeconds), now]);
    return rows.map(toOutboxMessage).sort((a, b) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0) || (a.id < b.id ? -1 : 1));
  }

  async markSent(claim: OutboxClaim, sentAt: Date, options: { eraseLink?: boolean } = {}): Promise<boolean> {
    // Fenced by (state, attempts): a worker whose lease lapsed and was taken over changes nothing.
    const rows = await this.scope.em().execute<RawRow[]>(
      `update outbox_messages
       set state = 'sent', sent_at = ?, updated_at = ?, next_attempt_at = null, lease_until = null,
           data = case when ? then data - 'link' else data end
       where id = ? and state = 'sending' and attempts = ?
       returning id`,
      [sentAt, sentAt, options.eraseLink ?? false, claim.id, claim.attempts],
    );
    return rows.length === 1;
  }

  async markFailed(claim: OutboxClaim, error: string, nextAttemptAt: Date | null, now: Date): Promise<boolean> {
    const rows = await this.scope.em().execute<RawRow[]>(
      `update outbox_messages
       set state = ?, next_attempt_at = ?, lease_until = null, last_error = ?, updated_at = ?
       where id = ? and state = 'sending' and attempts = ?
       returning id`,
      [nextAttemptAt ? 'pending' : 'failed', nextAttemptAt, safeErrorText(error), now, claim.id, claim.attempts],
    );
    return rows.length === 1;
  }

  async listRecent(to?: string, limit = 50): Promise<OutboxMessage[]> {
    const size = Number.isFinite(limit) ? Math.max(1, Math.min(Math.trunc(limit), MAX_LIST)) : MAX_LIST;
    const rows =
      to === undefined
        ? await this.scope.em().execute<RawRow[]>('select * from outbox_messages order by created_at desc, id desc limit ?', [size])
        : await this.scope
            .em()
            .execute<RawRow[]>('select * from outbox_messages where lower(recipient) = lower(?) order by created_at desc, id desc limit ?', [to.trim(), size]);
    return rows.map(toOutboxMessage);
  }
}

function toOutboxMessage(row: RawRow): OutboxMessage {
  return {
    id: text(row, 'id'),
    to: text(row, 'recipient'),
    template: text(row, 'template') as MailTemplate,
    data: json<Record<string, string>>(row, 'data'),
    state: text(row, 'state') as OutboxState,
    attempts: Number(row['attempts']),
    nextAttemptAt: dateOrNull(row, 'next_attempt_at'),
    leaseUntil: dateOrNull(row, 'lease_until'),
    lastError: textOrNull(row, 'last_error'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
    sentAt: dateOrNull(row, 'sent_at'),
  };
}
