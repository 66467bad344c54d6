import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_POLICIES } from '../../src/application/security/rate-limit-policies.js';
import { type StripeEmulator, startStripeEmulator } from '../fakes/stripe-emulator.js';
import { type Harness, startHarness } from '../support/http-harness.js';

const LIMIT = RATE_LIMIT_POLICIES.checkout_ip.limit;

/** Regression: the public checkout cannot be used to create provider sessions without bound (`checkout_ip`). */
describe('rate limit on the anonymous checkout (HTTP, Stripe emulator)', () => {
  let h: Harness;
  let stripe: StripeEmulator;

  beforeAll(async () => {
    stripe = await startStripeEmulator();
    h = await startHarness({
      env: { RATE_LIMITS_ENABLED: 'true', TRUSTED_PROXIES: '127.0.0.1', STRIPE_SECRET_KEY: 'sk_test_limits', STRIPE_WEBHOOK_SECRET: 'whsec_limits', STRIPE_API_URL: stripe.url },
    });
  });
  afterAll(async () => {
    await h?.close();
    await stripe?.close();
  });

  const checkout = (ip: string, n: number) =>
    h.call('POST', '/api/v1/billing/checkout', { body: { planId: 'starter', email: `buyer-${n}@example.com` }, headers: { 'x-forwarded-for': ip } });

  it(`allows ${LIMIT} checkouts an hour per IP, then 429 RATE_LIMITED with Retry-After, without calling Stripe; other IPs are unaffected`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await checkout('203.0.113.7', i)).status);
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    const sessionsBefore = stripe.sessions.size;

    const refused = await checkout('203.0.113.7', LIMIT);
    expect([refused.status, refused.body.code]).toEqual([429, 'RATE_LIMITED']);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(RATE_LIMIT_POLICIES.checkout_ip.windowSeconds);
    expect(stripe.sessions.size).toBe(sessionsBefore);

    const other = await checkout('203.0.113.8', 0);
    expect(other.status).toBe(200);
  });
});
