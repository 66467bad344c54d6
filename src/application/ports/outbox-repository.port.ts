import type { OutboxClaim, OutboxMessage } from '../../domain/mail/outbox-message.js';

/**
 * The transactional mail outbox. `add` joins the current unit of work, so a message exists if
 * and only if the change that caused it committed; workers then claim, send and mark messages.
 * Delivery is at least once: a worker that dies after sending but before `markSent` leaves a
 * message that is sent again once its lease lapses.
 */
export interface OutboxRepository {
  /** Stores a new message (inside the current unit of work when there is one). */
  add(message: OutboxMessage): Promise<void>;

  /**
   * Atomically leases up to `limit` claimable messages — pending and due at `now`, or `sending`
   * under a lease that lapsed (its worker died) — to the caller for `leaseSeconds`: each comes
   * back in state `sending`, `attempts` incremented, `leaseUntil` set. One statement; concurrent
   * callers never receive the same message (`FOR UPDATE SKIP LOCKED` in PostgreSQL). Oldest due first.
   */
  claimDue(now: Date, limit: number, leaseSeconds: number): Promise<OutboxMessage[]>;

  /**
   * Marks a claimed message sent, only if `claim` still holds its lease (same attempt, still
   * `sending`); false when another worker took it over. `eraseLink` removes `data.link` in the
   * same statement, so a delivered token no longer sits in the table.
   */
  markSent(claim: OutboxClaim, sentAt: Date, options?: { eraseLink?: boolean }): Promise<boolean>;

  /**
   * Records a failed attempt, only if `claim` still holds its lease: back to `pending` at
   * `nextAttemptAt`, or `failed` for good (dead) when it is null. `error` is stored through
   * `safeErrorText`. False when another worker took the message over.
   */
  markFailed(claim: OutboxClaim, error: string, nextAttemptAt: Date | null, now: Date): Promise<boolean>;

  /**
   * The newest messages first, every state, to one recipient (compared case-insensitively) or to
   * anyone; at most `limit` (capped at 500). For operators, and for tests that read a link:
   * `(await persistence.outbox.listRecent('ada@example.com'))[0]?.data.link`.
   */
  listRecent(to?: string, limit?: number): Promise<OutboxMessage[]>;
}
