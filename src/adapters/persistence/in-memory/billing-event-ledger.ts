import type { BillingEventLedger } from '../../../application/ports/billing-event-ledger.port.js';
import type { ProcessedBillingEvent } from '../../../domain/billing/processed-billing-event.js';
import { copyOf, type InMemoryStore } from './in-memory-store.js';

/** The billing idempotency ledger in memory; `record` is one store statement (check and insert together). */
export class InMemoryBillingEventLedger implements BillingEventLedger {
  constructor(private readonly store: InMemoryStore) {}

  record(event: ProcessedBillingEvent): Promise<boolean> {
    return this.store.statement((t) => {
      if (t.billingEvents.has(event.eventId)) return false;
      t.billingEvents.set(event.eventId, copyOf(event));
      return true;
    });
  }

  find(eventId: string): Promise<ProcessedBillingEvent | null> {
    return this.store.statement((t) => {
      const row = t.billingEvents.get(eventId);
      return row ? copyOf(row) : null;
    });
  }
}
