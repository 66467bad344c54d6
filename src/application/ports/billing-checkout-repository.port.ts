import type { BillingCheckout } from '../../domain/billing/billing-checkout.js';

/** Provisioning state of checkout sessions (`billing_checkouts`), read by the pending page. */
export interface BillingCheckoutRepository {
  /** The checkout session's row, or null (not created by Gatehouse, or no webhook yet). */
  find(sessionId: string): Promise<BillingCheckout | null>;
  /** The applied (`active`) checkout that brought this provider subscription, or null (none applied yet). */
  findBySubscription(subscriptionId: string): Promise<BillingCheckout | null>;
  /**
   * Inserts or replaces the row of `checkout.sessionId`, in one statement, except that an
   * `active` row is never replaced: a late failure report from a concurrent delivery cannot
   * undo a provisioning that committed.
   */
  save(checkout: BillingCheckout): Promise<void>;
}
