import type { OutboxRepository } from '../../../application/ports/outbox-repository.port.js';
import {
  attemptFailed,
  claimed,
  delivered,
  holdsLease,
  isClaimable,
  type OutboxClaim,
  type OutboxMessage,
} from '../../../domain/mail/outbox-message.js';
import { constraints } from './constraint-checks.js';
import { copyOf, type InMemoryStore } from './in-memory-store.js';

/** Most messages `listRecent` returns, as in the MikroORM adapter. */
const MAX_LIST = 500;

/**
 * The mail outbox in memory. Each method is one store statement, so a claim is atomic the way the
 * SQL `FOR UPDATE SKIP LOCKED` claim is: two workers never get the same message.
 */
export class InMemoryOutboxRepository implements OutboxRepository {
  constructor(private readonly store: InMemoryStore) {}

  add(message: OutboxMessage): Promise<void> {
    return this.store.statement((t) => {
      constraints.noDuplicate(t.outbox.has(message.id));
      t.outbox.set(message.id, copyOf(message));
    });
  }

  claimDue(now: Date, limit: number, leaseSeconds: number): Promise<OutboxMessage[]> {
    return this.store.statement((t) => {
      const due = [...t.outbox.values()].filter((m) => isClaimable(m, now)).sort(oldestDueFirst).slice(0, Math.max(0, limit));
      return due.map((message) => {
        const lease = claimed(message, now, leaseSeconds);
        t.outbox.set(lease.id, lease);
        return copyOf(lease);
      });
    });
  }

  markSent(claim: OutboxClaim, sentAt: Date, options: { eraseLink?: boolean } = {}): Promise<boolean> {
    return this.#whileLeased(claim, (message) => delivered(message, sentAt, options.eraseLink ?? false));
  }

  markFailed(claim: OutboxClaim, error: string, nextAttemptAt: Date | null, now: Date): Promise<boolean> {
    return this.#whileLeased(claim, (message) => attemptFailed(message, error, nextAttemptAt, now));
  }

  listRecent(to?: string, limit = 50): Promise<OutboxMessage[]> {
    const size = Number.isFinite(limit) ? Math.max(1, Math.min(Math.trunc(limit), MAX_LIST)) : MAX_LIST;
    const recipient = to?.trim().toLowerCase();
    return this.store.statement((t) =>
      [...t.outbox.values()]
        .filter((m) => recipient === undefined || m.to.toLowerCase() === recipient)
        .sort(newestFirst)
        .slice(0, size)
        .map(copyOf),
    );
  }

  /** Applies `change` only while `claim` holds the message's lease (a fencing check, in one statement). */
  #whileLeased(claim: OutboxClaim, change: (message: OutboxMessage) => OutboxMessage): Promise<boolean> {
    return this.store.statement((t) => {
      const message = t.outbox.get(claim.id);
      if (!message || !holdsLease(message, claim)) return false;
      t.outbox.set(message.id, change(message));
      return true;
    });
  }
}

/** Due time, then id bytewise (the column's "C" collation), as the SQL claim orders. */
function oldestDueFirst(a: OutboxMessage, b: OutboxMessage): number {
  return (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function newestFirst(a: OutboxMessage, b: OutboxMessage): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
