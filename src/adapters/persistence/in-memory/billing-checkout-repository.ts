import type { BillingCheckoutRepository } from '../../../application/ports/billing-checkout-repository.port.js';
import type { BillingCheckout } from '../../../domain/billing/billing-checkout.js';
import { copyOf, type InMemoryStore } from './in-memory-store.js';

/** Checkout sessions' provisioning state in memory. */
export class InMemoryBillingCheckoutRepository implements BillingCheckoutRepository {
  constructor(private readonly store: InMemoryStore) {}

  find(sessionId: string): Promise<BillingCheckout | null> {
    return this.store.statement((t) => {
      const row = t.billingCheckouts.get(sessionId);
      return row ? copyOf(row) : null;
    });
  }

  findBySubscription(subscriptionId: string): Promise<BillingCheckout | null> {
    return this.store.statement((t) => {
      const row = [...t.billingCheckouts.values()].find((c) => c.subscriptionId === subscriptionId && c.state === 'active');
      return row ? copyOf(row) : null;
    });
  }

  save(checkout: BillingCheckout): Promise<void> {
    return this.store.statement((t) => {
      const current = t.billingCheckouts.get(checkout.sessionId);
      // As the SQL upsert's WHERE: an active checkout stays active.
      if (current?.state === 'active') return;
      t.billingCheckouts.set(checkout.sessionId, copyOf({ ...checkout, createdAt: current?.createdAt ?? checkout.createdAt }));
    });
  }
}
