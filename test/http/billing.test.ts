import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import { type StripeEmulator, startStripeEmulator } from '../fakes/stripe-emulator.js';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

const PASSWORD = 'correct horse battery staple';
const STRIPE_ENV = { STRIPE_SECRET_KEY: 'sk_test_http', STRIPE_WEBHOOK_SECRET: 'whsec_http' };

describe('billing routes when Stripe is not configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('still lists the plans with prices, limits and features, and says billing is not configured', async () => {
    const res = await h.call('GET', '/api/v1/billing/plans');
    expect(res.status).toBe(200);
    expect(res.body.configured).toBe(false);
    expect(res.body.plans).toEqual([
      expect.objectContaining({ id: 'starter', name: 'Starter', price: { amount: 2900, currency: 'usd', interval: 'month' }, limits: expect.objectContaining({ units: 50 }) }),
      expect.objectContaining({ id: 'professional', price: { amount: 7900, currency: 'usd', interval: 'month' }, limits: expect.objectContaining({ units: 200 }) }),
      expect.objectContaining({ id: 'enterprise', price: { amount: 19900, currency: 'usd', interval: 'month' }, limits: expect.objectContaining({ units: null }) }),
    ]);
    expect(res.body.plans[2].features.length).toBeGreaterThan(0);
  });

  it('answers BILLING_NOT_CONFIGURED (503) on checkout and portal, and the rest of Gatehouse works', async () => {
    const checkout = await h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'starter', email: 'nc@example.com' } });
    expect([checkout.status, checkout.body.code]).toEqual([503, 'BILLING_NOT_CONFIGURED']);
    const upgrade = await h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'starter', organization: 'whatever' } });
    expect(upgrade.body.code).toBe('BILLING_NOT_CONFIGURED');
    const admin = await signUp(h, 'nc-admin@example.com');
    const org = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name: 'Unbilled Inc' } });
    expect(org.status).toBe(201);
    const portal = await h.call('POST', `/api/v1/organizations/${org.body.id}/billing/portal`, { token: admin.accessToken });
    expect([portal.status, portal.body.code]).toEqual([503, 'BILLING_NOT_CONFIGURED']);
  });
});

describe('billing routes against the Stripe emulator', () => {
  let h: Harness;
  let emulator: StripeEmulator;
  const persistence = createInMemoryPersistence();

  beforeAll(async () => {
    emulator = await startStripeEmulator();
    h = await startHarness({ persistence, env: { ...STRIPE_ENV, STRIPE_API_URL: emulator.url, STRIPE_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => {
    await h.close();
    await emulator.close();
  });

  async function orgWithAdmin(prefix: string) {
    const admin = await signUp(h, `${prefix}-admin@example.com`);
    const created = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name: `${prefix} Inc` } });
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: `${prefix}-admin@example.com`, password: PASSWORD } });
    return { org: created.body, admin: login.body };
  }

  /** What provisioning does once Stripe reports the paid checkout: the organization gets its customer. */
  async function linkCustomer(orgId: string): Promise<string> {
    const start = await h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'starter', email: `pay-${orgId.slice(0, 6)}@example.com` } });
    const sessionId = /cs_test_\w+/.exec(start.body.url)?.[0] ?? '';
    const session = emulator.complete(sessionId).data.object as Stripe.Checkout.Session;
    const org = await persistence.orgs.findById(orgId);
    if (!org) throw new Error('no org');
    org.linkBilling(session.customer as string, session.subscription as string, h.clock.now());
    await persistence.orgs.save(org);
    return session.customer as string;
  }

  it('lists plans as configured', async () => {
    expect((await h.call('GET', '/api/v1/billing/plans')).body.configured).toBe(true);
  });

  it('starts a public checkout: Stripe Checkout URL, subscription mode, email and organization name in metadata, default success URL', async () => {
    const res = await h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'professional', email: 'buyer@example.com', organizationName: 'Maple Grove HOA' } });
    expect(res.status).toBe(200);
    expect(res.body.url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const form = emulator.requests.at(-1)?.form;
    expect(form).toMatchObject({
      mode: 'subscription', customer_email: 'buyer@example.com', line_items: { 0: { price: 'price_professional' } },
      success_url: 'http://localhost:3000/onboarding/pending?session_id={CHECKOUT_SESSION_ID}', cancel_url: 'http://localhost:3000/pricing',
      metadata: { gatehouse_plan_id: 'professional', gatehouse_email: 'buyer@example.com', gatehouse_organization_name: 'Maple Grove HOA' },
    });
  });

  it('starts a checkout without email or name (Stripe collects the email)', async () => {
    const res = await h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'starter' } });
    expect(res.status).toBe(200);
    expect(emulator.requests.at(-1)?.form['customer_email']).toBeUndefined();
  });

  it('validates the body: unknown plan, bad email, unknown fields', async () => {
    for (const body of [{ planId: 'platinum' }, { planId: 'starter', email: 'not-an-email' }, { planId: 'starter', price: 'price_free' }, {}]) {
      const res = await h.call('POST', '/api/v1/billing/checkout', { body });
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('lets an admin upgrade their organization (billing:manage): organization id in metadata, the admin’s email', async () => {
    const { org, admin } = await orgWithAdmin('upgrade');
    const res = await h.call('POST', '/api/v1/billing/checkout', { token: admin.accessToken, body: { planId: 'enterprise', organization: org.slug } });
    expect(res.status).toBe(200);
    expect(emulator.requests.at(-1)?.form).toMatchObject({
      customer_email: 'upgrade-admin@example.com', client_reference_id: org.id,
      metadata: { gatehouse_plan_id: 'enterprise', gatehouse_organization_id: org.id, gatehouse_organization_name: 'upgrade Inc' },
    });
    const customerId = await linkCustomer(org.id);
    // With a subscription, a second checkout would bill twice: the plan changes in the portal.
    const second = await h.call('POST', '/api/v1/billing/checkout', { token: admin.accessToken, body: { planId: 'professional', organization: org.id } });
    expect([second.status, second.body.code]).toEqual([409, 'BILLING_SUBSCRIPTION_ACTIVE']);
    // Nor can the organization be deleted while it is billed.
    const deleted = await h.call('DELETE', `/api/v1/organizations/${org.id}`, { token: admin.accessToken });
    expect([deleted.status, deleted.body.code]).toEqual([409, 'BILLING_SUBSCRIPTION_ACTIVE']);
    // Once the subscription has ended (archived), buying again reuses the Stripe customer, and deleting is allowed.
    const stored = (await persistence.orgs.findById(org.id))!;
    stored.moveTo('archived', h.clock.now());
    await persistence.orgs.save(stored);
    expect((await h.call('POST', '/api/v1/billing/checkout', { token: admin.accessToken, body: { planId: 'professional', organization: org.id } })).status).toBe(200);
    expect(emulator.requests.at(-1)?.form).toMatchObject({ customer: customerId, client_reference_id: org.id });
    expect((await h.call('DELETE', `/api/v1/organizations/${org.id}`, { token: admin.accessToken })).status).toBe(204);
  });

  it('refuses an upgrade without a token, by a non-admin, and for another tenant’s organization', async () => {
    const { org, admin } = await orgWithAdmin('guarded');
    const anonymous = await h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'starter', organization: org.id } });
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'AUTH_REQUIRED']);
    await signUp(h, 'guarded-member@example.com');
    await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: admin.accessToken, body: { email: 'guarded-member@example.com', role: 'member' } });
    const member = await h.call('POST', '/api/v1/auth/login', { body: { email: 'guarded-member@example.com', password: PASSWORD, organization: org.id } });
    const denied = await h.call('POST', '/api/v1/billing/checkout', { token: member.body.accessToken, body: { planId: 'starter', organization: org.id } });
    expect([denied.status, denied.body.code]).toEqual([403, 'ACCESS_DENIED']);
    const other = await orgWithAdmin('stranger');
    const cross = await h.call('POST', '/api/v1/billing/checkout', { token: other.admin.accessToken, body: { planId: 'starter', organization: org.id } });
    expect([cross.status, cross.body.code]).toEqual([404, 'TENANT_NOT_FOUND']);
  });

  it('opens the Billing Portal for an admin of an organization with a Stripe customer', async () => {
    const { org, admin } = await orgWithAdmin('portal');
    const before = await h.call('POST', `/api/v1/organizations/${org.id}/billing/portal`, { token: admin.accessToken });
    expect([before.status, before.body.code]).toEqual([409, 'BILLING_CUSTOMER_MISSING']);
    const customerId = await linkCustomer(org.id);
    const res = await h.call('POST', `/api/v1/organizations/${org.slug}/billing/portal`, { token: admin.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\//);
    expect(emulator.portalSessions.at(-1)).toMatchObject({ customer: customerId, return_url: 'http://localhost:3000/' });
  });

  it('keeps the portal to admins: a member gets 403, another tenant 404, no token 401', async () => {
    const { org, admin } = await orgWithAdmin('portal-guard');
    await linkCustomer(org.id);
    await signUp(h, 'portal-guard-member@example.com');
    await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: admin.accessToken, body: { email: 'portal-guard-member@example.com', role: 'manager' } });
    const member = await h.call('POST', '/api/v1/auth/login', { body: { email: 'portal-guard-member@example.com', password: PASSWORD, organization: org.id } });
    const denied = await h.call('POST', `/api/v1/organizations/${org.id}/billing/portal`, { token: member.body.accessToken });
    expect([denied.status, denied.body.code]).toEqual([403, 'ACCESS_DENIED']);
    const other = await orgWithAdmin('portal-stranger');
    const cross = await h.call('POST', `/api/v1/organizations/${org.id}/billing/portal`, { token: other.admin.accessToken });
    expect([cross.status, cross.body.code]).toEqual([404, 'TENANT_NOT_FOUND']);
    const anonymous = await h.call('POST', `/api/v1/organizations/${org.id}/billing/portal`);
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 'AUTH_REQUIRED']);
  });

  it('maps Stripe outages to 503 BILLING_PROVIDER_UNAVAILABLE and refusals to 502 BILLING_REQUEST_REJECTED, leaking nothing', async () => {
    emulator.failNext({ status: 500 });
    const down = await h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'starter' } });
    expect([down.status, down.body.code]).toEqual([503, 'BILLING_PROVIDER_UNAVAILABLE']);
    emulator.failNext('hang');
    const slow = await h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'starter' } });
    expect([slow.status, slow.body.code]).toEqual([503, 'BILLING_PROVIDER_UNAVAILABLE']);
    emulator.failNext({ status: 400 });
    const refused = await h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'starter', email: 'secret-ish@example.com' } });
    expect([refused.status, refused.body.code]).toEqual([502, 'BILLING_REQUEST_REJECTED']);
    expect(JSON.stringify(refused.body)).not.toMatch(/sk_test|secret-ish|Emulated/);
  });
});
