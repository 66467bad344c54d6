/**
 * The idempotency ledger of identity-provider webhooks (Stytch through Svix). `record`
 * is the first write of the unit of work that applies an event, so the row commits with
 * the effect or not at all: a redelivery after a commit is a no-op.
 */
export interface IdentityEventLedger {
  /** Inserts (eventId, receivedAt) atomically: true when this call inserted it, false when already recorded. */
  record(event: { eventId: string; objectType: string; action: string; receivedAt: Date }): Promise<boolean>;
  /** Whether the event id is recorded. */
  has(eventId: string): Promise<boolean>;
}
