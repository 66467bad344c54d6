/**
 * One row of the idempotency ledger: a billing event Gatehouse has applied (or deliberately
 * ignored). It is written in the same transaction as the event's effect, first, so a
 * redelivery finds it and does nothing, and a rolled-back attempt leaves no row behind.
 */
export interface ProcessedBillingEvent {
  /** The provider's event id (Stripe `evt_…`). */
  eventId: string;
  /** BillingEvent kind (`checkout_completed`, …, `ignored`). */
  kind: string;
  /** Provider's event creation time. */
  occurredAt: Date;
  /** When Gatehouse applied it. */
  receivedAt: Date;
}
