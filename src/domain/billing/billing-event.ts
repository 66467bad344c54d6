/** Plans Gatehouse sells; prices and limits come from configuration (docs/billing.md). */
export type PlanId = 'starter' | 'professional' | 'enterprise';

/** Subscription states as Gatehouse tracks them (a subset of the provider's). */
export type SubscriptionState = 'active' | 'past_due' | 'canceled' | 'incomplete' | 'trialing' | 'unpaid';

/**
 * What the billing provider told us, translated at the adapter's edge: no vendor type
 * crosses the port. `eventId` is the provider's id (the idempotency key); `occurredAt`
 * is the provider's creation time of the event, used to refuse out-of-order updates.
 */
export type BillingEvent =
  | {
      kind: 'checkout_completed';
      eventId: string;
      occurredAt: Date;
      checkoutSessionId: string;
      customerId: string;
      subscriptionId: string;
      email: string;
      organizationName: string;
      planId: PlanId;
      /** Set when a signed-in admin upgraded an existing organization. */
      organizationId: string | null;
    }
  | { kind: 'payment_succeeded'; eventId: string; occurredAt: Date; customerId: string; subscriptionId: string | null }
  | { kind: 'payment_failed'; eventId: string; occurredAt: Date; customerId: string; subscriptionId: string | null; amountDue: number | null; currency: string | null }
  | { kind: 'subscription_updated'; eventId: string; occurredAt: Date; customerId: string; subscriptionId: string; planId: PlanId | null; state: SubscriptionState }
  | { kind: 'subscription_deleted'; eventId: string; occurredAt: Date; customerId: string; subscriptionId: string }
  /** Any event type Gatehouse does not act on: acknowledged and recorded, nothing else. */
  | { kind: 'ignored'; eventId: string; occurredAt: Date; type: string };
