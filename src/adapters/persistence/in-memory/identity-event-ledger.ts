import type { IdentityEventLedger } from '../../../application/ports/identity-event-ledger.port.js';
import type { InMemoryStore } from './in-memory-store.js';

/** The identity webhook ledger in memory; `record` is one store statement (check and insert together). */
export class InMemoryIdentityEventLedger implements IdentityEventLedger {
  constructor(private readonly store: InMemoryStore) {}

  record(event: { eventId: string; objectType: string; action: string; receivedAt: Date }): Promise<boolean> {
    return this.store.statement((t) => {
      if (t.identityEvents.has(event.eventId)) return false;
      t.identityEvents.set(event.eventId, { eventId: event.eventId, objectType: event.objectType, action: event.action, receivedAt: new Date(event.receivedAt) });
      return true;
    });
  }

  has(eventId: string): Promise<boolean> {
    return this.store.statement((t) => t.identityEvents.has(eventId));
  }
}
