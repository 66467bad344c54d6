import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

/** Mail-sending flows cannot be used to flood a mailbox, and limit known and unknown addresses alike. */
describe('rate limits on email-link flows', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMITS_ENABLED: 'true', TRUSTED_PROXIES: '127.0.0.1' } });
    await signUp(h, 'flooded@example.com');
  });
  afterAll(() => h.close());

  for (const [path, perAccount] of [
    ['/api/v1/auth/password/forgot', 3],
    ['/api/v1/auth/activation/resend', 3],
    ['/api/v1/auth/discovery/magic-link', 5],
  ] as const) {
    it(`${path}: at most ${perAccount} an hour per address, then 429 with Retry-After — for unknown addresses too`, async () => {
      for (const [n, email] of ['flooded@example.com', 'nobody-at-all@example.com'].entries()) {
        // Each address from its own client IP, so only the per-address limit is in play.
        const headers = { 'x-forwarded-for': `198.51.100.${n + (path.length % 50) * 2}` };
        const statuses: number[] = [];
        let last = await h.call('POST', path, { body: { email }, headers });
        statuses.push(last.status);
        for (let i = 1; i <= perAccount; i++) {
          last = await h.call('POST', path, { body: { email }, headers });
          statuses.push(last.status);
        }
        expect(statuses, email).toEqual([...Array(perAccount).fill(202), 429]);
        expect(last.body.code).toBe('RATE_LIMITED');
        expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    });
  }

  it('/api/v1/auth/register: 3 registrations of an address an hour are mailed (a verification, then account_exists), later ones answer 202 alike and mail nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const headers = { 'x-forwarded-for': `203.0.113.${i + 1}` };
      statuses.push((await h.call('POST', '/api/v1/auth/register', { body: { email: 'registered-often@example.com', password: 'someone else again' }, headers })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202]);
    const mails = (await h.gatehouse.persistence.outbox.listRecent('registered-often@example.com')).map((m) => m.template);
    expect(mails).toEqual(['account_exists', 'account_exists', 'verification']);
  });
});
