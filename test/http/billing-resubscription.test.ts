import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import type { StripeEmulator } from '../fakes/stripe-emulator.js';
import { type Harness, organizationWithAdmin } from '../support/http-harness.js';
import { type StripeWorld, startStripeWorld } from '../support/stripe-world.js';

const SECRET = 'whsec_test_resubscription';

/**
 * An organization that buys again on the Stripe customer it keeps (re-subscription after an archive), and
 * two upgrade checkouts paid for one organization: events of a subscription the organization does not have
 * yet wait for its checkout, events of one it replaced or kept aside are stale, and a second paid checkout
 * never overwrites a live subscription (docs/billing.md, "Out of order" and "Two paid checkouts").
 */
describe('Re-subscription and second paid checkouts (HTTP, Stripe emulator, PGlite)', () => {
  let world: StripeWorld;
  let h: Harness;
  let stripe: StripeEmulator;
  let p: Persistence;

  beforeAll(async () => {
    world = await startStripeWorld({ secretKey: 'sk_test_resubscription', webhookSecret: SECRET });
    ({ h, stripe, p } = world);
  });
  afterAll(() => world?.close());

  const deliver = (event: Stripe.Event) => world.deliver(event);

  /** Starts an upgrade checkout for the organization and returns its session id. */
  async function upgrade(token: string, orgId: string, planId: string): Promise<string> {
    const started = await h.call('POST', '/api/v1/billing/checkout', { token, body: { planId, organization: orgId } });
    expect(started.status).toBe(200);
    return /cs_test_\w+/.exec(started.body.url as string)![0];
  }

  const subscriptionOf = (event: Stripe.Event) => (event.data.object as Stripe.Checkout.Session).subscription as string;
  const customerOf = (event: Stripe.Event) => (event.data.object as Stripe.Checkout.Session).customer as string;

  /** A free organization that bought starter (subscription A) and cancelled it: archived, Stripe customer kept. */
  async function archivedWithCustomer(name: string) {
    const { org, token } = await organizationWithAdmin(h, name);
    h.clock.advance(5);
    const first = stripe.complete(await upgrade(token, org.id, 'starter'));
    expect((await deliver(first)).body.outcome).toBe('applied');
    h.clock.advance(5);
    const cancelA = stripe.deleteSubscription(subscriptionOf(first));
    expect((await deliver(cancelA)).body.outcome).toBe('applied');
    expect((await p.orgs.findById(org.id))?.status).toBe('archived');
    h.clock.advance(60);
    return { org, token, subscriptionA: subscriptionOf(first), cancelA };
  }

  it('regression: a portal downgrade of the new subscription delivered before its checkout is applied on redelivery, not dropped', async () => {
    const { org, token } = await archivedWithCustomer('ResubDowngrade');
    const checkoutB = stripe.complete(await upgrade(token, org.id, 'enterprise'));
    h.clock.advance(5);
    const downgrade = stripe.updateSubscription(subscriptionOf(checkoutB), { priceId: 'price_starter' });

    const early = await deliver(downgrade);
    expect([early.status, early.body.code]).toEqual([409, 'CONCURRENT_MODIFICATION']);
    expect(await p.billingEvents.find(downgrade.id)).toBeNull();
    expect((await deliver(checkoutB)).body.outcome).toBe('applied');
    const retried = await deliver(downgrade); // Stripe's retry
    expect([retried.status, retried.body.outcome]).toEqual([200, 'applied']);

    const stored = await p.orgs.findById(org.id);
    expect([stored?.status, stored?.plan, stored?.billingSubscriptionId]).toEqual(['active', 'starter', subscriptionOf(checkoutB)]);
  });

  it('regression: a cancellation of the new subscription delivered before its checkout archives the organization on redelivery', async () => {
    const { org, token, subscriptionA, cancelA } = await archivedWithCustomer('ResubCancel');
    const checkoutB = stripe.complete(await upgrade(token, org.id, 'professional'));
    h.clock.advance(5);
    const cancelB = stripe.deleteSubscription(subscriptionOf(checkoutB));

    expect((await deliver(cancelB)).status).toBe(409);
    expect((await deliver(checkoutB)).body.outcome).toBe('applied');
    expect((await p.orgs.findById(org.id))?.status).toBe('active');
    expect((await deliver(cancelB)).body.outcome).toBe('applied');
    expect((await p.orgs.findById(org.id))?.status).toBe('archived');

    // The replaced subscription's events stay stale (answered 200, so Stripe does not retry them for days).
    h.clock.advance(5);
    const lateA = await deliver(stripe.invoiceEvent(subscriptionA, false));
    expect([lateA.status, lateA.body.outcome]).toEqual([200, 'stale']);
    expect((await deliver(cancelA)).body.outcome).toBe('duplicate');
  });

  it('an event of the replaced subscription is stale while the new one is linked', async () => {
    const { org, token, subscriptionA } = await archivedWithCustomer('ResubReplaced');
    const checkoutB = stripe.complete(await upgrade(token, org.id, 'professional'));
    expect((await deliver(checkoutB)).body.outcome).toBe('applied');
    h.clock.advance(5);
    const oldOne = await deliver(stripe.updateSubscription(subscriptionA, { status: 'unpaid' }));
    expect([oldOne.status, oldOne.body.outcome]).toEqual([200, 'stale']);
    expect(await p.orgs.findById(org.id)).toMatchObject({ status: 'active', plan: 'professional', billingSubscriptionId: subscriptionOf(checkoutB) });
  });

  it('regression: a second paid upgrade checkout does not overwrite the live subscription; it is recorded for an operator', async () => {
    const { org, token } = await organizationWithAdmin(h, 'TwicePaid');
    const enterprise = await upgrade(token, org.id, 'enterprise');
    const starter = await upgrade(token, org.id, 'starter'); // both allowed: neither is paid yet
    h.clock.advance(5);
    const first = stripe.complete(enterprise);
    expect((await deliver(first)).body.outcome).toBe('applied');
    h.clock.advance(5);
    const second = stripe.complete(starter);
    const applied = await deliver(second);
    expect([applied.status, applied.body.outcome]).toEqual([200, 'applied']);
    expect((await h.call('GET', `/api/v1/billing/status?session_id=${starter}`)).body).toEqual({ status: 'active' });

    const stored = await p.orgs.findById(org.id);
    expect([stored?.plan, stored?.billingCustomerId, stored?.billingSubscriptionId]).toEqual(['enterprise', customerOf(first), subscriptionOf(first)]);
    const audit = await h.call('GET', `/api/v1/organizations/${org.id}/audit-log?action=billing.organization_provisioned`, { token });
    expect(audit.body.events.map((e: { outcome: string; metadata: Record<string, unknown> }) => [e.outcome, e.metadata['keptSubscriptionId'] ?? null, e.metadata['unlinkedSubscriptionId'] ?? null])).toEqual([
      ['failure', subscriptionOf(first), subscriptionOf(second)],
      ['success', null, null],
    ]);

    // The unlinked subscription's events change nothing and are not retried (another customer: unknown to Gatehouse).
    h.clock.advance(5);
    expect((await deliver(stripe.deleteSubscription(subscriptionOf(second)))).body.outcome).toBe('unknown_customer');
    expect(await p.orgs.findById(org.id)).toMatchObject({ status: 'active', plan: 'enterprise' });
  });

  it('a second paid checkout on the same customer is kept aside: its events are stale, not awaited', async () => {
    const { org, token } = await archivedWithCustomer('TwiceResub');
    const professional = await upgrade(token, org.id, 'professional');
    const enterprise = await upgrade(token, org.id, 'enterprise');
    const first = stripe.complete(professional);
    const second = stripe.complete(enterprise);
    expect(customerOf(second)).toBe(customerOf(first));
    expect((await deliver(first)).body.outcome).toBe('applied');
    expect((await deliver(second)).body.outcome).toBe('applied');
    h.clock.advance(5);
    const cancelSecond = await deliver(stripe.deleteSubscription(subscriptionOf(second)));
    expect([cancelSecond.status, cancelSecond.body.outcome]).toEqual([200, 'stale']);
    expect(await p.orgs.findById(org.id)).toMatchObject({ status: 'active', plan: 'professional', billingSubscriptionId: subscriptionOf(first) });
  });
});
