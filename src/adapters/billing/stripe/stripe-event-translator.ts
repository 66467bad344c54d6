import type Stripe from 'stripe';
import type { BillingEvent, SubscriptionState } from '../../../domain/billing/billing-event.js';
import { isPlanId, type PlanCatalogue } from '../../../domain/billing/plans.js';

/** Metadata keys Gatehouse writes on checkout sessions and subscriptions (and reads back here). */
export const METADATA = {
  planId: 'gatehouse_plan_id',
  email: 'gatehouse_email',
  organizationName: 'gatehouse_organization_name',
  organizationId: 'gatehouse_organization_id',
} as const;

type Ref = string | { id: string } | null | undefined;

/** `customer`/`subscription` fields arrive as ids or, when expanded, as objects. */
function idOf(ref: Ref): string | null {
  if (ref === null || ref === undefined) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

/**
 * Stripe statuses onto the states Gatehouse tracks. `incomplete_expired` never became a paying
 * subscription (canceled); `paused` (a trial ended without a payment method) collects nothing,
 * which for access is the same as `unpaid`. A status Stripe adds later is treated as `unpaid`
 * so an unknown state never grants more than a known one.
 */
function stateOf(status: Stripe.Subscription.Status): SubscriptionState {
  switch (status) {
    case 'active':
      return 'active';
    case 'past_due':
      return 'past_due';
    case 'canceled':
      return 'canceled';
    case 'incomplete':
      return 'incomplete';
    case 'trialing':
      return 'trialing';
    case 'unpaid':
      return 'unpaid';
    case 'incomplete_expired':
      return 'canceled';
    default:
      return 'unpaid';
  }
}

/**
 * Translates a verified Stripe event into a BillingEvent: no Stripe type crosses the port.
 * Events Gatehouse does not act on, and checkouts it did not start (no plan in metadata,
 * not subscription mode), come out as `ignored` so they are acknowledged and recorded.
 */
export function translateStripeEvent(event: Stripe.Event, catalogue: PlanCatalogue): BillingEvent {
  const base = { eventId: event.id, occurredAt: new Date(event.created * 1000) };
  const ignored: BillingEvent = { kind: 'ignored', ...base, type: event.type };
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      const meta = session.metadata ?? {};
      const planId = meta[METADATA.planId] ?? '';
      const customerId = idOf(session.customer);
      const subscriptionId = idOf(session.subscription);
      if (session.mode !== 'subscription' || !isPlanId(planId) || !customerId || !subscriptionId) return ignored;
      // What the buyer typed on Stripe's page wins over what our pricing page sent (it may be empty).
      const email = session.customer_details?.email ?? meta[METADATA.email] ?? session.customer_email ?? '';
      const organizationName = meta[METADATA.organizationName] || session.customer_details?.business_name || session.customer_details?.name || email;
      return {
        kind: 'checkout_completed', ...base, checkoutSessionId: session.id, customerId, subscriptionId, email, organizationName, planId,
        organizationId: meta[METADATA.organizationId] || session.client_reference_id || null,
      };
    }
    case 'invoice.payment_succeeded':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const customerId = idOf(invoice.customer);
      if (!customerId) return ignored;
      // API 2025-03-31 and later: an invoice has no top-level `subscription`; its parent names it.
      const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
      if (event.type === 'invoice.payment_succeeded') return { kind: 'payment_succeeded', ...base, customerId, subscriptionId };
      return { kind: 'payment_failed', ...base, customerId, subscriptionId, amountDue: invoice.amount_due, currency: invoice.currency };
    }
    case 'customer.subscription.updated': {
      const subscription = event.data.object;
      const priceId = subscription.items.data[0]?.price.id;
      const planId = priceId ? (catalogue.byPriceId(priceId)?.id ?? null) : null;
      return { kind: 'subscription_updated', ...base, customerId: idOf(subscription.customer) ?? '', subscriptionId: subscription.id, planId, state: stateOf(subscription.status) };
    }
    case 'customer.subscription.deleted': {
      const subscription = event.data.object;
      return { kind: 'subscription_deleted', ...base, customerId: idOf(subscription.customer) ?? '', subscriptionId: subscription.id };
    }
    default:
      return ignored;
  }
}
