import type Stripe from 'stripe';

/**
 * Stripe API objects as the emulator returns them, built as the `stripe` package's own types
 * (API version 2026-10-28.endive): every required field is present, so `tsc` checks the
 * emulator's shapes against the SDK. Optional fields are left out as Stripe leaves them out.
 */

const NO_AUTOMATIC_TAX = { enabled: false, liability: null, provider: null, status: null } as const;

/** A price for a monthly plan (`unit_amount` in cents). */
export function price(id: string, unitAmount: number, created: number): Stripe.Price {
  return {
    id, object: 'price', active: true, billing_scheme: 'per_unit', created, currency: 'usd', custom_unit_amount: null, livemode: false, lookup_key: null,
    metadata: {}, nickname: null, product: `prod_${id}`, recurring: { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified', tiers_mode: null, transform_quantity: null, type: 'recurring', unit_amount: unitAmount, unit_amount_decimal: null,
  };
}

/** The legacy `plan` twin of a recurring price (still present on subscription items). */
function planOf(p: Stripe.Price): Stripe.Plan {
  return {
    id: p.id, object: 'plan', active: true, amount: p.unit_amount, amount_decimal: null, billing_scheme: 'per_unit', created: p.created, currency: p.currency,
    interval: 'month', interval_count: 1, livemode: false, metadata: {}, meter: null, nickname: null, product: p.product, tiers_mode: null, transform_usage: null,
    trial_period_days: null, usage_type: 'licensed',
  };
}

/** A customer. */
export function customer(input: { id: string; email: string | null; name: string | null; created: number }): Stripe.Customer {
  return {
    id: input.id, object: 'customer', balance: 0, created: input.created, default_source: null, description: null, email: input.email,
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null }, livemode: false, metadata: {},
    name: input.name, shipping: null,
  };
}

/** A subscription with one item; billing periods live on the item in this API version. */
export function subscription(input: {
  id: string; customerId: string; price: Stripe.Price; status: Stripe.Subscription.Status; metadata: Record<string, string>; created: number;
}): Stripe.Subscription {
  const periodEnd = input.created + 30 * 86_400;
  const item: Stripe.SubscriptionItem = {
    id: `si_${input.id.slice(4)}`, object: 'subscription_item', billing_thresholds: null, created: input.created, current_period_end: periodEnd,
    current_period_start: input.created, current_trial: null, discounts: [], metadata: {}, plan: planOf(input.price), price: input.price, quantity: 1,
    subscription: input.id, tax_rates: [],
  };
  return {
    id: input.id, object: 'subscription', application: null, application_fee_percent: null, automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: input.created, billing_cycle_anchor_config: null, billing_mode: { flexible: null, type: 'flexible' }, billing_schedules: [],
    billing_thresholds: null, cancel_at: null, cancel_at_period_end: false, canceled_at: null, cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically', created: input.created, currency: 'usd', customer: input.customerId, customer_account: null, days_until_due: null,
    default_payment_method: null, default_source: null, description: null, discounts: [], ended_at: null, invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: [item], has_more: false, url: `/v1/subscription_items?subscription=${input.id}` }, latest_invoice: null, livemode: false,
    managed_payments: null, metadata: input.metadata, next_pending_invoice_item_invoice: null, on_behalf_of: null, pause_collection: null, payment_settings: null,
    pending_invoice_item_interval: null, pending_setup_intent: null, pending_update: null, schedule: null, start_date: input.created, status: input.status,
    test_clock: null, transfer_data: null, trial_end: null, trial_settings: null, trial_start: null,
  };
}

/** An open subscription-mode Checkout Session (`complete` fills customer and subscription). */
export function checkoutSession(input: {
  id: string; url: string; successUrl: string | null; cancelUrl: string | null; customerId: string | null; customerEmail: string | null;
  clientReferenceId: string | null; metadata: Record<string, string>; amount: number; created: number;
}): Stripe.Checkout.Session {
  return {
    id: input.id, object: 'checkout.session', adaptive_pricing: null, after_expiration: null, allow_promotion_codes: null, allowed_payment_method_types: null,
    amount_subtotal: input.amount, amount_total: input.amount, automatic_tax: NO_AUTOMATIC_TAX, billing_address_collection: null, cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId, client_secret: null, collected_information: null, consent: null, consent_collection: null, created: input.created,
    currency: 'usd', currency_conversion: null, custom_fields: [], custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customerId, customer_account: null, customer_creation: input.customerId ? null : 'always', customer_details: null, customer_email: input.customerEmail,
    discounts: [], expires_at: input.created + 86_400, integration_identifier: null, invoice: null, invoice_creation: null, livemode: false, locale: null,
    managed_payments: null, metadata: input.metadata, mode: 'subscription', origin_context: null, payment_intent: null, payment_link: null,
    payment_method_collection: 'always', payment_method_configuration_details: null, payment_method_options: null, payment_method_types: ['card'],
    payment_status: 'unpaid', permissions: null, recovered_from: null, saved_payment_method_options: null, setup_intent: null, shipping_address_collection: null,
    shipping_cost: null, shipping_options: [], status: 'open', submit_type: null, subscription: null, success_url: input.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 }, ui_mode: 'hosted', url: input.url, wallet_options: null,
  };
}

/** A Billing Portal session. */
export function portalSession(input: { id: string; customerId: string; returnUrl: string | null; url: string; created: number }): Stripe.BillingPortal.Session {
  return {
    id: input.id, object: 'billing_portal.session', configuration: 'bpc_emulator', created: input.created, customer: input.customerId, customer_account: null,
    flow: null, livemode: false, locale: null, on_behalf_of: null, return_url: input.returnUrl, url: input.url,
  };
}

/** A paid or failed subscription invoice; the subscription is named by `parent` (no top-level field). */
export function invoice(input: { id: string; customerId: string; subscriptionId: string; amount: number; paid: boolean; created: number }): Stripe.Invoice {
  return {
    id: input.id, object: 'invoice', account_country: 'US', account_name: 'Gatehouse Emulator', account_tax_ids: null, amount_due: input.amount, amount_overpaid: 0,
    amount_paid: input.paid ? input.amount : 0, amount_remaining: input.paid ? 0 : input.amount, amount_shipping: 0, application: null, attempt_count: 1, attempted: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null }, automatically_finalizes_at: null,
    billing_reason: 'subscription_cycle', collection_method: 'charge_automatically', created: input.created, currency: 'usd', custom_fields: null,
    customer: input.customerId, customer_account: null, customer_address: null, customer_email: null, customer_name: null, customer_phone: null,
    customer_shipping: null, customer_tax_exempt: 'none', default_payment_method: null, default_source: null, default_tax_rates: [], description: null,
    discounts: [], due_date: null, effective_at: input.created, ending_balance: 0, footer: null, from_invoice: null, issuer: { type: 'self' },
    last_finalization_error: null, latest_revision: null, lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${input.id}/lines` }, livemode: false,
    metadata: {}, next_payment_attempt: null, number: null, on_behalf_of: null,
    parent: { quote_details: null, subscription_details: { metadata: {}, subscription: input.subscriptionId }, type: 'subscription_details' },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null }, period_end: input.created, period_start: input.created,
    post_payment_credit_notes_amount: 0, pre_payment_credit_notes_amount: 0, receipt_number: null, rendering: null, shipping_cost: null, shipping_details: null,
    starting_balance: 0, statement_descriptor: null, status: input.paid ? 'paid' : 'open', status_transitions: { finalized_at: input.created, marked_uncollectible_at: null, paid_at: input.paid ? input.created : null, voided_at: null },
    subtotal: input.amount, subtotal_excluding_tax: input.amount, test_clock: null, total: input.amount, total_discount_amounts: [], total_excluding_tax: input.amount,
    total_pretax_credit_amounts: [], total_taxes: [], webhooks_delivered_at: null,
  };
}
