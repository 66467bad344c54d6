import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

describe('sign-ins beyond the hash queue', () => {
  let h: Harness;
  beforeAll(async () => {
    // One hashing thread, one waiting slot, and a hash slow enough (8 MiB scrypt) that a burst overflows.
    h = await startHarness({ env: { PASSWORD_HASH_PARAMS: 'n13r8p10', PASSWORD_HASH_WORKERS: '1', PASSWORD_HASH_QUEUE_MAX: '1' } });
    await signUp(h, 'burst@example.com');
  });
  afterAll(() => h.close());

  it('answers 503 SERVICE_OVERLOADED with Retry-After instead of queueing without bound, and serves the rest', async () => {
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => fetch(`${h.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-client': 'api' },
        body: JSON.stringify({ email: 'burst@example.com', password: 'correct horse battery staple' }),
      }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as Record<string, unknown> }))),
    );
    const refused = burst.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(burst.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(burst.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    for (const r of refused) {
      expect(r.body['code']).toBe('SERVICE_OVERLOADED');
      expect(r.retryAfter).toBe('1');
      expect(JSON.stringify(r.body)).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    const after = await h.call('POST', '/api/v1/auth/login', { body: { email: 'burst@example.com', password: 'correct horse battery staple' } });
    expect(after.status).toBe(200);
  });
});
