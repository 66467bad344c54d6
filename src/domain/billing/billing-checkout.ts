/**
 * What the pending page shows for one checkout session (GET /api/v1/billing/status):
 * - `pending`: no confirmed payment yet (no row, or the checkout was created and its webhook has not arrived);
 * - `provisioning`: the webhook arrived but provisioning failed and the provider will redeliver it;
 * - `active`: the organization was provisioned (committed with the ledger row);
 * - `failed`: provisioning failed {@link MAX_PROVISIONING_ATTEMPTS} times; an operator must look.
 * `not_configured` is answered by the API when billing is off; it is never stored.
 */
export type CheckoutState = 'pending' | 'provisioning' | 'active' | 'failed';

/** Failed deliveries after which a checkout shows `failed` (a later successful redelivery still makes it `active`). */
export const MAX_PROVISIONING_ATTEMPTS = 5;

/** Provisioning state of one checkout session (table `billing_checkouts`). */
export interface BillingCheckout {
  sessionId: string;
  state: CheckoutState;
  /** The provisioned (or upgraded) organization, once known. */
  organizationId: string | null;
  /**
   * The provider's subscription the completed checkout brought, once applied: the one linked to the
   * organization, or one kept aside because the organization already had a live subscription. A subscription
   * named here that the organization does not have (anymore) is a replaced or refused one: its events are
   * stale. One named nowhere has not been applied yet: its events wait for the checkout (ApplyBillingEvent).
   */
  subscriptionId: string | null;
  /** Failed provisioning attempts so far. */
  attempts: number;
  /** Error code of the last failed attempt (never a message: it could carry data). */
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}
