import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import type { StripeEmulator } from '../fakes/stripe-emulator.js';
import { type Harness, startHarness } from '../support/http-harness.js';
import { type StripeWorld, startStripeWorld } from '../support/stripe-world.js';

const SECRET = 'whsec_test_webhooks_e2e';
const PASSWORD = 'correct horse battery staple';

/**
 * The paid path end to end over HTTP: the real Stripe adapter (real `stripe` SDK against the
 * emulator), signed deliveries, the webhook route, provisioning on PGlite, activation and onboarding.
 */
describe('Stripe webhooks → provisioning → activation → onboarding (HTTP, Stripe emulator, PGlite)', () => {
  let world: StripeWorld;
  let h: Harness;
  let stripe: StripeEmulator;
  let p: Persistence;

  beforeAll(async () => {
    world = await startStripeWorld({ secretKey: 'sk_test_webhooks', webhookSecret: SECRET });
    ({ h, stripe, p } = world);
  });
  afterAll(() => world?.close());

  const deliver = (event: unknown, options: { secret?: string; body?: string } = {}) => world.deliver(event, options);

  async function checkout(email: string, organizationName: string, planId = 'professional'): Promise<string> {
    const started = await h.call('POST', '/api/v1/billing/checkout', { body: { planId, email, organizationName } });
    expect(started.status).toBe(200);
    const sessionId = [...stripe.sessions.keys()].at(-1)!;
    expect(started.body.url).toContain(sessionId);
    return sessionId;
  }

  async function orgOf(email: string) {
    const user = await p.users.findByEmail(email);
    const memberships = user ? await p.memberships.listByUser(user.id) : [];
    return { user, orgs: await p.orgs.findManyByIds(memberships.map((m) => m.tenantId)) };
  }

  it('checkout → signed checkout.session.completed → status active → activation mail → activate → signed in → onboarding progress', async () => {
    const email = 'owner-e2e@harbor.test';
    const sessionId = await checkout(email, 'Harbor Point HOA');
    expect((await h.call('GET', `/api/v1/billing/status?session_id=${sessionId}`)).body).toEqual({ status: 'pending' });

    const delivered = await deliver(stripe.complete(sessionId));
    expect([delivered.status, delivered.body.outcome]).toEqual([200, 'applied']);
    expect((await h.call('GET', `/api/v1/billing/status?session_id=${sessionId}`)).body).toEqual({ status: 'active' });

    const { orgs } = await orgOf(email);
    expect(orgs.map((o) => [o.status, o.plan, o.name])).toEqual([['active', 'professional', 'Harbor Point HOA']]);
    const [mail] = await p.outbox.listRecent(email);
    expect(mail?.template).toBe('activation');
    const token = new URL(mail!.data['link']!).searchParams.get('token')!;
    const preview = await h.call('GET', `/api/v1/auth/activation?token=${encodeURIComponent(token)}`);
    expect(preview.body.organization?.slug).toBe(orgs[0]!.slug);

    const activated = await h.call('POST', '/api/v1/auth/activation', { body: { token, password: PASSWORD, name: 'Ada Owner' } });
    expect(activated.status).toBe(200);
    const bearer = activated.body.accessToken as string;
    const me = await h.call('GET', '/api/v1/me', { token: bearer });
    expect([me.body.organization?.id, me.body.member?.role]).toEqual([orgs[0]!.id, 'admin']);

    const org = orgs[0]!.slug;
    const onboarding = await h.call('GET', `/api/v1/organizations/${org}/onboarding`, { token: bearer });
    expect(onboarding.body).toEqual({ completedSteps: ['profile'], requiredSteps: ['profile', 'workspace', 'invite_member', 'first_workflow'], completedAt: null });
    const invited = await h.call('POST', `/api/v1/organizations/${org}/members`, { token: bearer, body: { email: 'treasurer-e2e@harbor.test', role: 'member' } });
    expect(invited.status).toBe(201);
    expect((await h.call('PATCH', `/api/v1/organizations/${org}/onboarding`, { token: bearer, body: { step: 'workspace' } })).body.completedSteps).toEqual(['profile', 'invite_member', 'workspace']);
    const done = await h.call('PATCH', `/api/v1/organizations/${org}/onboarding`, { token: bearer, body: { step: 'first_workflow' } });
    expect(done.body.completedAt).toBe(h.clock.now().toISOString());
    expect((await h.call('PATCH', `/api/v1/organizations/${org}/onboarding`, { token: bearer, body: { step: 'nope' } })).body.code).toBe('VALIDATION_FAILED');
  });

  it('provisions exactly one organization and one mail when the same event is delivered 10 times concurrently', async () => {
    const email = 'ten-times@harbor.test';
    const sessionId = await checkout(email, 'Ten Times HOA', 'starter');
    const event = stripe.complete(sessionId);
    const responses = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(responses.filter((r) => r.body.outcome === 'applied')).toHaveLength(1);
    expect((await orgOf(email)).orgs).toHaveLength(1);
    expect(await p.outbox.listRecent(email)).toHaveLength(1);
  });

  it('answers 400 to a bad signature, a tampered body or a stale timestamp, and changes nothing', async () => {
    const email = 'forged@harbor.test';
    const sessionId = await checkout(email, 'Forged HOA');
    const event = stripe.complete(sessionId);
    const wrongSecret = await deliver(event, { secret: 'whsec_not_ours' });
    expect([wrongSecret.status, wrongSecret.body.code]).toEqual([400, 'WEBHOOK_SIGNATURE_INVALID']);
    const signed = stripe.signedDelivery(event, SECRET);
    const tampered = await h.call('POST', '/api/v1/webhooks/stripe', { body: signed.body.replace('forged@harbor.test', 'evil@harbor.test'), headers: { 'stripe-signature': signed.signature } });
    expect([tampered.status, tampered.body.code]).toEqual([400, 'WEBHOOK_SIGNATURE_INVALID']);
    const old = stripe.signedDelivery(event, SECRET, h.clock.now().getTime() - 600_000);
    const stale = await h.call('POST', '/api/v1/webhooks/stripe', { body: old.body, headers: { 'stripe-signature': old.signature } });
    expect([stale.status, stale.body.code]).toEqual([400, 'WEBHOOK_SIGNATURE_INVALID']);
    const unsigned = await h.call('POST', '/api/v1/webhooks/stripe', { body: signed.body });
    expect([unsigned.status, unsigned.body.code]).toEqual([400, 'WEBHOOK_SIGNATURE_INVALID']);
    expect((await orgOf(email)).user).toBeNull();
    expect((await h.call('GET', `/api/v1/billing/status?session_id=${sessionId}`)).body.status).toBe('pending');
  });

  it('acknowledges unknown events with 200 and ignores them', async () => {
    const response = await deliver(stripe.otherEvent());
    expect([response.status, response.body.outcome]).toEqual([200, 'ignored']);
  });

  it('payment failed → past_due and a mail to the admins; subscription deleted → archived: sign-in refused TENANT_ARCHIVED, organization API 403', async () => {
    const email = 'lapsing@harbor.test';
    const sessionId = await checkout(email, 'Lapsing HOA');
    await deliver(stripe.complete(sessionId));
    const [activation] = await p.outbox.listRecent(email);
    const token = new URL(activation!.data['link']!).searchParams.get('token')!;
    const bearer = (await h.call('POST', '/api/v1/auth/activation', { body: { token, password: PASSWORD, name: 'Lee' } })).body.accessToken as string;
    const { orgs } = await orgOf(email);
    const org = orgs[0]!;
    const subscriptionId = org.billingSubscriptionId!;

    h.clock.advance(60);
    expect((await deliver(stripe.invoiceEvent(subscriptionId, false))).status).toBe(200);
    expect((await p.orgs.findById(org.id))?.status).toBe('past_due');
    const [failedMail] = await p.outbox.listRecent(email);
    expect(failedMail).toMatchObject({ template: 'payment_failed', data: { organizationName: 'Lapsing HOA', link: `http://localhost:3000/organizations/${org.slug}/billing`, name: 'Lee', amount: '$79.00' } });

    h.clock.advance(60);
    await deliver(stripe.invoiceEvent(subscriptionId, true));
    expect((await p.orgs.findById(org.id))?.status).toBe('active');

    h.clock.advance(60);
    await deliver(stripe.deleteSubscription(subscriptionId));
    expect((await p.orgs.findById(org.id))?.status).toBe('archived');
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD, organization: org.slug } });
    expect([login.status, login.body.code]).toEqual([403, 'TENANT_ARCHIVED']);
    const api = await h.call('GET', `/api/v1/organizations/${org.id}/members`, { token: bearer });
    expect([api.status, api.body.code]).toEqual([403, 'TENANT_ARCHIVED']);
    expect(await p.memberships.listByTenant(org.id)).toHaveLength(1);

    // Buying again is how it comes back: its admin may start a checkout for it while it is archived.
    h.clock.advance(60);
    const again = await h.call('POST', '/api/v1/billing/checkout', { token: bearer, body: { planId: 'starter', organization: org.id } });
    expect(again.status).toBe(200);
    await deliver(stripe.complete([...stripe.sessions.keys()].at(-1)!));
    expect(await p.orgs.findById(org.id)).toMatchObject({ status: 'active', plan: 'starter' });
    expect((await h.call('GET', `/api/v1/organizations/${org.id}/members`, { token: bearer })).status).toBe(200);
  });
});

describe('Stripe webhooks without billing configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('answers BILLING_NOT_CONFIGURED on the webhook and not_configured on the status', async () => {
    const hook = await h.call('POST', '/api/v1/webhooks/stripe', { body: '{}', headers: { 'stripe-signature': 't=1,v1=x' } });
    expect([hook.status, hook.body.code]).toEqual([503, 'BILLING_NOT_CONFIGURED']);
    expect((await h.call('GET', '/api/v1/billing/status?session_id=cs_test_x')).body).toEqual({ status: 'not_configured' });
  });
});
