import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeBillingGateway, stripeEndpoint } from '../../../src/adapters/billing/stripe/stripe-billing-gateway.js';
import { PlanCatalogue } from '../../../src/domain/billing/plans.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { type StripeEmulator, startStripeEmulator } from '../../fakes/stripe-emulator.js';
import { TestClock } from '../../support/test-clock.js';

const SECRET = 'whsec_test_gateway';
const catalogue = new PlanCatalogue({ starter: 'price_starter', professional: 'price_professional', enterprise: 'price_enterprise' });
const urls = { successUrl: 'https://app.test/onboarding/pending?session_id={CHECKOUT_SESSION_ID}', cancelUrl: 'https://app.test/pricing' };

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('StripeBillingGateway against the Stripe emulator (real stripe SDK over HTTP)', () => {
  const clock = new TestClock(new Date('2026-11-23T12:00:00Z'));
  let emulator: StripeEmulator;
  let gateway: StripeBillingGateway;

  beforeAll(async () => {
    emulator = await startStripeEmulator({ now: () => clock.now().getTime() });
    gateway = new StripeBillingGateway({ secretKey: 'sk_test_gateway', webhookSecret: SECRET, apiUrl: emulator.url, timeoutMs: 2000 }, catalogue, clock);
  });
  afterAll(() => emulator.close());

  it('parses STRIPE_API_URL into the SDK host, port and protocol', () => {
    expect(stripeEndpoint('http://127.0.0.1:12111')).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
    expect(stripeEndpoint('https://stripe-proxy.internal')).toEqual({ host: 'stripe-proxy.internal', port: 443, protocol: 'https' });
    expect(stripeEndpoint(undefined)).toEqual({});
  });

  it('creates a subscription-mode checkout with the plan price, the success URL template and email, name and plan in metadata', async () => {
    const session = await gateway.createCheckout({ planId: 'professional', email: 'ada@acme.test', organizationName: 'Acme HOA', organizationId: null, customerId: null, ...urls });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const request = emulator.requests.at(-1);
    expect(request?.authorization).toBe('Bearer sk_test_gateway');
    expect(request?.form).toMatchObject({
      mode: 'subscription', line_items: { 0: { price: 'price_professional', quantity: '1' } }, success_url: urls.successUrl, cancel_url: urls.cancelUrl,
      customer_email: 'ada@acme.test',
      metadata: { gatehouse_plan_id: 'professional', gatehouse_email: 'ada@acme.test', gatehouse_organization_name: 'Acme HOA' },
      subscription_data: { metadata: { gatehouse_plan_id: 'professional' } },
    });
    expect(emulator.sessions.get(session.id)?.success_url).toContain('{CHECKOUT_SESSION_ID}');
  });

  it('reuses the customer and names the organization when an admin upgrades an existing organization', async () => {
    const first = await gateway.createCheckout({ planId: 'starter', email: 'bo@acme.test', organizationName: 'Bo Co', organizationId: null, customerId: null, ...urls });
    const delivery = emulator.signedDelivery(emulator.complete(first.id), SECRET);
    const completed = gateway.parseWebhook(Buffer.from(delivery.body), delivery.signature);
    if (completed.kind !== 'checkout_completed') throw new Error(completed.kind);
    await gateway.createCheckout({ planId: 'enterprise', email: 'bo@acme.test', organizationName: 'Bo Co', organizationId: 'org-1', customerId: completed.customerId, ...urls });
    const form = emulator.requests.at(-1)?.form;
    expect(form).toMatchObject({ customer: completed.customerId, client_reference_id: 'org-1', metadata: { gatehouse_organization_id: 'org-1' } });
    expect(form?.['customer_email']).toBeUndefined();
  });

  it('creates a Billing Portal session for a customer and returns its URL', async () => {
    const session = await gateway.createCheckout({ planId: 'starter', email: 'cy@acme.test', organizationName: 'Cy', organizationId: null, customerId: null, ...urls });
    const event = emulator.complete(session.id);
    const customerId = (event.data.object as Stripe.Checkout.Session).customer as string;
    const portal = await gateway.createPortalSession(customerId, 'https://app.test/settings');
    expect(portal.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\//);
    expect(emulator.requests.at(-1)?.form).toEqual({ customer: customerId, return_url: 'https://app.test/settings' });
  });

  it('translates Stripe refusals to BILLING_REQUEST_REJECTED and outages to BILLING_PROVIDER_UNAVAILABLE, without Stripe’s message', async () => {
    const rejected = await gateway.createPortalSession('cus_unknown', 'https://app.test').catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(DomainError);
    expect((rejected as DomainError).code).toBe('BILLING_REQUEST_REJECTED');
    expect((rejected as DomainError).message).not.toContain('cus_unknown');
    expect((rejected as DomainError).details).toMatchObject({ providerCode: 'resource_missing' });

    const badKey = new StripeBillingGateway({ secretKey: 'rk_wrong', webhookSecret: SECRET, apiUrl: emulator.url, timeoutMs: 2000 }, catalogue, clock);
    expect(await codeOf(badKey.createPortalSession('cus_x', 'https://app.test'))).toBe('BILLING_REQUEST_REJECTED');

    emulator.failNext({ status: 500 });
    expect(await codeOf(gateway.createPortalSession('cus_x', 'https://app.test'))).toBe('BILLING_PROVIDER_UNAVAILABLE');
    emulator.failNext({ status: 429 });
    expect(await codeOf(gateway.createPortalSession('cus_x', 'https://app.test'))).toBe('BILLING_PROVIDER_UNAVAILABLE');

    const closed = await startStripeEmulator();
    const url = closed.url;
    await closed.close();
    const unreachable = new StripeBillingGateway({ secretKey: 'sk_test_x', webhookSecret: SECRET, apiUrl: url, timeoutMs: 2000 }, catalogue, clock);
    expect(await codeOf(unreachable.createCheckout({ planId: 'starter', email: null, organizationName: null, organizationId: null, customerId: null, ...urls }))).toBe('BILLING_PROVIDER_UNAVAILABLE');
  });

  it('answers BILLING_PROVIDER_UNAVAILABLE when Stripe does not answer within the timeout', async () => {
    const impatient = new StripeBillingGateway({ secretKey: 'sk_test_x', webhookSecret: SECRET, apiUrl: emulator.url, timeoutMs: 200 }, catalogue, clock);
    emulator.failNext('hang');
    const started = performance.now();
    expect(await codeOf(impatient.createPortalSession('cus_x', 'https://app.test'))).toBe('BILLING_PROVIDER_UNAVAILABLE');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  describe('parseWebhook', () => {
    async function completedEvent(): Promise<Stripe.Event> {
      const session = await gateway.createCheckout({ planId: 'professional', email: 'di@acme.test', organizationName: 'Di HOA', organizationId: null, customerId: null, ...urls });
      return emulator.complete(session.id, { name: 'Di Buyer' });
    }
    const parse = (event: Stripe.Event, secret = SECRET, timestampMs?: number) => {
      const delivery = emulator.signedDelivery(event, secret, timestampMs);
      return gateway.parseWebhook(Buffer.from(delivery.body), delivery.signature);
    };

    it('accepts a correctly signed checkout.session.completed and translates it', async () => {
      const event = await completedEvent();
      const session = event.data.object as Stripe.Checkout.Session;
      expect(parse(event)).toEqual({
        kind: 'checkout_completed', eventId: event.id, occurredAt: new Date(event.created * 1000), checkoutSessionId: session.id,
        customerId: session.customer, subscriptionId: session.subscription, email: 'di@acme.test', organizationName: 'Di HOA', planId: 'professional', organizationId: null,
      });
    });

    it('refuses a forged signature, a changed body and a stale timestamp with WEBHOOK_SIGNATURE_INVALID', async () => {
      const event = await completedEvent();
      expect(await codeOf(() => parse(event, 'whsec_forged'))).toBe('WEBHOOK_SIGNATURE_INVALID');
      const delivery = emulator.signedDelivery(event, SECRET);
      expect(await codeOf(() => gateway.parseWebhook(Buffer.from(delivery.body.replace('professional', 'enterprise')), delivery.signature))).toBe('WEBHOOK_SIGNATURE_INVALID');
      expect(await codeOf(() => gateway.parseWebhook(Buffer.from(delivery.body), 'garbage'))).toBe('WEBHOOK_SIGNATURE_INVALID');
      // Stale: signed 301 s before the (injected) clock; 299 s is still inside the tolerance.
      expect(await codeOf(() => parse(event, SECRET, clock.now().getTime() - 301_000))).toBe('WEBHOOK_SIGNATURE_INVALID');
      expect(parse(event, SECRET, clock.now().getTime() - 299_000).kind).toBe('checkout_completed');
    });

    it('goes stale by the injected clock, not the wall clock', async () => {
      const event = await completedEvent();
      const delivery = emulator.signedDelivery(event, SECRET);
      clock.advance(301);
      try {
        expect(await codeOf(() => gateway.parseWebhook(Buffer.from(delivery.body), delivery.signature))).toBe('WEBHOOK_SIGNATURE_INVALID');
      } finally {
        clock.advance(-301);
      }
    });

    it('translates invoice events, reading the subscription from invoice.parent.subscription_details', async () => {
      const completed = parse(await completedEvent());
      if (completed.kind !== 'checkout_completed') throw new Error(completed.kind);
      const paid = emulator.invoiceEvent(completed.subscriptionId, true);
      expect((paid.data.object as Stripe.Invoice).parent?.subscription_details?.subscription).toBe(completed.subscriptionId);
      expect(parse(paid)).toEqual({ kind: 'payment_succeeded', eventId: paid.id, occurredAt: new Date(paid.created * 1000), customerId: completed.customerId, subscriptionId: completed.subscriptionId });
      const failed = emulator.invoiceEvent(completed.subscriptionId, false);
      expect(parse(failed)).toEqual({
        kind: 'payment_failed', eventId: failed.id, occurredAt: new Date(failed.created * 1000), customerId: completed.customerId, subscriptionId: completed.subscriptionId,
        amountDue: 7900, currency: 'usd',
      });
    });

    it('translates subscription updates (plan from the price id, Stripe status) and deletions', async () => {
      const completed = parse(await completedEvent());
      if (completed.kind !== 'checkout_completed') throw new Error(completed.kind);
      const base = { customerId: completed.customerId, subscriptionId: completed.subscriptionId };
      expect(parse(emulator.updateSubscription(completed.subscriptionId, { priceId: 'price_enterprise' }))).toMatchObject({ kind: 'subscription_updated', ...base, planId: 'enterprise', state: 'active' });
      expect(parse(emulator.updateSubscription(completed.subscriptionId, { status: 'past_due' }))).toMatchObject({ kind: 'subscription_updated', planId: 'enterprise', state: 'past_due' });
      expect(parse(emulator.updateSubscription(completed.subscriptionId, { status: 'incomplete_expired' }))).toMatchObject({ state: 'canceled' });
      expect(parse(emulator.updateSubscription(completed.subscriptionId, { status: 'paused' }))).toMatchObject({ state: 'unpaid' });
      const deleted = emulator.deleteSubscription(completed.subscriptionId);
      expect(parse(deleted)).toEqual({ kind: 'subscription_deleted', eventId: deleted.id, occurredAt: new Date(deleted.created * 1000), ...base });
    });

    it('gives an unknown price no plan, and acknowledges other events as ignored', async () => {
      const other = new PlanCatalogue({ starter: 'price_a', professional: 'price_b', enterprise: 'price_c' });
      const completed = parse(await completedEvent());
      if (completed.kind !== 'checkout_completed') throw new Error(completed.kind);
      const strangerGateway = new StripeBillingGateway({ secretKey: 'sk_test_x', webhookSecret: SECRET, apiUrl: emulator.url, timeoutMs: 2000 }, other, clock);
      const delivery = emulator.signedDelivery(emulator.updateSubscription(completed.subscriptionId, { status: 'active' }), SECRET);
      expect(strangerGateway.parseWebhook(Buffer.from(delivery.body), delivery.signature)).toMatchObject({ kind: 'subscription_updated', planId: null });
      const unknown = emulator.otherEvent();
      expect(parse(unknown)).toEqual({ kind: 'ignored', eventId: unknown.id, occurredAt: new Date(unknown.created * 1000), type: 'customer.created' });
    });

    it('ignores a completed checkout Gatehouse did not start (no plan in metadata)', async () => {
      const event = await completedEvent();
      const session = event.data.object as Stripe.Checkout.Session;
      const foreign = { ...event, data: { object: { ...session, metadata: {} } } } as Stripe.Event;
      expect(parse(foreign)).toMatchObject({ kind: 'ignored', type: 'checkout.session.completed' });
    });
  });
});
