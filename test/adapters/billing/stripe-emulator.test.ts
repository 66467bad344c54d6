import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForm, type StripeEmulator, startStripeEmulator } from '../../fakes/stripe-emulator.js';

/**
 * Keeps the emulator honest against the `stripe` package: its objects are built as the SDK's
 * own TypeScript types (stripe-objects.ts, checked by tsc), and here the real SDK reads them
 * back over HTTP. Stripe's OpenAPI spec3.json (several MB) could not be fetched on this machine;
 * validating against it is left open (docs/billing.md).
 */
describe('Stripe emulator', () => {
  let emulator: StripeEmulator;
  let stripe: Stripe;

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    stripe = new Stripe('sk_test_emulator', emulator.sdkOptions);
  });
  afterAll(() => emulator.close());

  it('parses form bodies with bracket keys as the SDK encodes them', () => {
    expect(parseForm('mode=subscription&line_items[0][price]=price_x&line_items[0][quantity]=1&metadata[a]=b%20c')).toEqual({
      mode: 'subscription', line_items: { 0: { price: 'price_x', quantity: '1' } }, metadata: { a: 'b c' },
    });
  });

  it('serves checkout sessions, customers and subscriptions the SDK reads back with Stripe’s ids and object types', async () => {
    const created: Stripe.Checkout.Session = await stripe.checkout.sessions.create({
      mode: 'subscription', line_items: [{ price: 'price_starter', quantity: 1 }], success_url: 'https://x.test/ok?session_id={CHECKOUT_SESSION_ID}', customer_email: 'e@x.test',
      metadata: { k: 'v' }, subscription_data: { metadata: { k: 'v' } },
    });
    expect(created).toMatchObject({ object: 'checkout.session', mode: 'subscription', status: 'open', customer_email: 'e@x.test', metadata: { k: 'v' }, amount_total: 2900 });
    expect(created.id).toMatch(/^cs_test_/);
    const event = emulator.complete(created.id);
    expect(event).toMatchObject({ object: 'event', type: 'checkout.session.completed', api_version: Stripe.API_VERSION });
    const read: Stripe.Checkout.Session = await stripe.checkout.sessions.retrieve(created.id);
    expect(read).toMatchObject({ status: 'complete', payment_status: 'paid', customer: expect.stringMatching(/^cus_/), subscription: expect.stringMatching(/^sub_/) });

    const sub: Stripe.Subscription = await stripe.subscriptions.retrieve(read.subscription as string);
    expect(sub).toMatchObject({ object: 'subscription', status: 'active', customer: read.customer, metadata: { k: 'v' } });
    expect(sub.items.data[0]).toMatchObject({ object: 'subscription_item', price: { id: 'price_starter', object: 'price', unit_amount: 2900 } });
    expect(sub.items.data[0]?.current_period_end).toBeGreaterThan(sub.items.data[0]?.current_period_start ?? 0);

    const customer = await stripe.customers.retrieve(read.customer as string);
    expect(customer).toMatchObject({ object: 'customer', email: 'e@x.test' });
    const made: Stripe.Customer = await stripe.customers.create({ email: 'new@x.test', name: 'New', metadata: { org: 'o1' } });
    expect(made).toMatchObject({ object: 'customer', email: 'new@x.test', metadata: { org: 'o1' } });
    const list = await stripe.customers.list({ email: 'new@x.test' });
    expect(list.data.map((c) => c.id)).toEqual([made.id]);

    const portal: Stripe.BillingPortal.Session = await stripe.billingPortal.sessions.create({ customer: made.id, return_url: 'https://x.test/' });
    expect(portal).toMatchObject({ object: 'billing_portal.session', customer: made.id, url: expect.stringMatching(/^https:\/\//) });
  });

  it('answers Stripe-shaped errors that the SDK turns into its error classes', async () => {
    await expect(stripe.subscriptions.retrieve('sub_missing')).rejects.toMatchObject({ type: 'StripeInvalidRequestError', code: 'resource_missing', statusCode: 400 });
    await expect(stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_nope', quantity: 1 }], success_url: 'https://x.test' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    const badKey = new Stripe('not-a-key', emulator.sdkOptions);
    await expect(badKey.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('signs deliveries that stripe.webhooks.constructEvent accepts, and only with the right secret', async () => {
    const event = emulator.otherEvent();
    const { body, signature } = emulator.signedDelivery(event, 'whsec_x');
    expect(stripe.webhooks.constructEvent(body, signature, 'whsec_x').id).toBe(event.id);
    expect(() => stripe.webhooks.constructEvent(body, signature, 'whsec_y')).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});
