import type { ProcessedBillingEvent } from '../../domain/billing/processed-billing-event.js';

/**
 * The idempotency ledger of billing webhooks (`processed_billing_events`). `record` is the
 * first write of the unit of work that applies an event: the row commits with the effect or
 * not at all, so a redelivery after a commit is a no-op and after a rollback is applied anew.
 */
export interface BillingEventLedger {
  /**
   * Inserts the event's row, atomically: true when this call inserted it, false when the
   * event id is recorded already. Inside a unit of work, a concurrent writer of the same id
   * waits for the first one's transaction and then gets false (PostgreSQL: `ON CONFLICT DO NOTHING`
   * on the primary key) or true if that transaction rolled back.
   */
  record(event: ProcessedBillingEvent): Promise<boolean>;
  /** The recorded event, or null. */
  find(eventId: string): Promise<ProcessedBillingEvent | null>;
}
