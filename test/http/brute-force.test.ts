import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, type Harness, signUp, startHarness } from '../support/http-harness.js';
import { postgresPersistence } from '../support/test-database.js';
import { redisAnswers } from '../support/redis.js';

const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the password at all';

/** Gatehouse behind a proxy on 127.0.0.1: the attacker's address is whatever the proxy puts in X-Forwarded-For. */
const BEHIND_PROXY = { RATE_LIMITS_ENABLED: 'true', TRUSTED_PROXIES: '127.0.0.1' };

function login(h: Harness, email: string, password: string, ip?: string): Promise<ApiResponse> {
  return h.call('POST', '/api/v1/auth/login', { body: { email, password }, ...(ip ? { headers: { 'x-forwarded-for': ip } } : {}) });
}

/** What an attacker can compare between two answers: everything but the per-request id and the date. */
function observable(res: ApiResponse): unknown {
  const headers = Object.fromEntries([...res.headers].filter(([name]) => !['date', 'x-request-id'].includes(name)));
  return { status: res.status, body: { ...res.body, requestId: undefined }, headers };
}

function expectLimited(res: ApiResponse, maxRetryAfter: number): number {
  expect(res.status).toBe(429);
  expect(res.body.code).toBe('RATE_LIMITED');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
  expect(res.body.details).toEqual({ retryAfter });
  return retryAfter;
}

describe('an attacker against password sign-in and registration (rate limits on, behind a trusted proxy)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: BEHIND_PROXY });
  });
  afterAll(() => h.close());

  it('brute-forcing one password from one IP gets 5 guesses, then 429 RATE_LIMITED with Retry-After — even with the right password', async () => {
    await signUp(h, 'alice@example.com');
    for (let i = 0; i < 5; i++) expect((await login(h, 'alice@example.com', WRONG, '203.0.113.10')).status).toBe(401);
    expect(expectLimited(await login(h, 'alice@example.com', WRONG, '203.0.113.10'), 60)).toBe(60);
    // The lock holds whatever is guessed: the password is not even checked.
    expectLimited(await login(h, 'alice@example.com', PASSWORD, '203.0.113.10'), 60);
  });

  it('a stolen access token gets 5 guesses at the current password on password change, then 429, even with the right one', async () => {
    const stolen = await signUp(h, 'changer@example.com');
    const change = (currentPassword: string) => h.call('POST', '/api/v1/auth/password/change', { token: stolen.accessToken, body: { currentPassword, newPassword: 'the thief would like this one' } });
    for (let i = 0; i < 5; i++) expect((await change(WRONG)).body.code).toBe('INVALID_CREDENTIALS');
    expectLimited(await change(WRONG), 60);
    expectLimited(await change(PASSWORD), 60);
  });

  it("while the attacker's IP is locked out of the account, the owner signs in from their own IP", async () => {
    expectLimited(await login(h, 'alice@example.com', PASSWORD, '203.0.113.10'), 60);
    const owner = await login(h, 'alice@example.com', PASSWORD, '198.51.100.20');
    expect(owner.status).toBe(200);
    expect(owner.body.status).toBe('authenticated');
  });

  it('an unknown email meets exactly the same limit as a known one (same status, body and headers at every step)', async () => {
    await signUp(h, 'bob@example.com');
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    // Interleaved, so both series see the same clock.
    for (let i = 0; i < 7; i++) {
      known.push(observable(await login(h, 'bob@example.com', WRONG, '203.0.113.11')));
      unknown.push(observable(await login(h, 'nobody@example.com', WRONG, '203.0.113.12')));
    }
    expect(unknown).toEqual(known);
    expect(known.map((r) => (r as { status: number }).status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('a successful sign-in resets the account + IP counter', async () => {
    await signUp(h, 'carol@example.com');
    for (let i = 0; i < 4; i++) expect((await login(h, 'carol@example.com', WRONG, '203.0.113.30')).status).toBe(401);
    expect((await login(h, 'carol@example.com', PASSWORD, '203.0.113.30')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(h, 'carol@example.com', WRONG, '203.0.113.30')).status).toBe(401);
    expectLimited(await login(h, 'carol@example.com', WRONG, '203.0.113.30'), 60);
  });

  it('an IPv6 host picking a new address in its /64 for every guess is still one client: 5 guesses, then 429', async () => {
    await signUp(h, 'ipv6-target@example.com');
    for (let i = 1; i <= 5; i++) expect((await login(h, 'ipv6-target@example.com', WRONG, `2001:db8:77:1::${i.toString(16)}`)).status).toBe(401);
    expectLimited(await login(h, 'ipv6-target@example.com', WRONG, '2001:db8:77:1::beef'), 60);
    // Another /64 is another client.
    expect((await login(h, 'ipv6-target@example.com', WRONG, '2001:db8:77:2::1')).status).toBe(401);
  });

  it('one IP spraying many accounts is stopped by the per-IP limit (20 a minute)', async () => {
    for (let i = 0; i < 20; i++) expect((await login(h, `victim${i}@example.com`, WRONG, '203.0.113.40')).status).toBe(401);
    expectLimited(await login(h, 'victim99@example.com', WRONG, '203.0.113.40'), 60);
    // Other IPs are not affected.
    expect((await login(h, 'victim99@example.com', WRONG, '203.0.113.41')).status).toBe(401);
  });

  it('a spray from many IPs hits the account-wide cap: new IPs are refused, the owner still gets in from an IP they used before', async () => {
    await signUp(h, 'dave@example.com');
    expect((await login(h, 'dave@example.com', PASSWORD, '198.51.100.50')).status).toBe(200); // dave's home IP
    // 20 IPs × 5 guesses = the 100 failures an hour the account allows.
    for (let ip = 1; ip <= 20; ip++) {
      for (let i = 0; i < 5; i++) expect((await login(h, 'dave@example.com', WRONG, `10.66.0.${ip}`)).status).toBe(401);
    }
    expect(expectLimited(await login(h, 'dave@example.com', WRONG, '10.66.0.21'), 3600)).toBeGreaterThan(3500);
    // The owner on a new network waits too (or uses a magic link / reset) …
    expectLimited(await login(h, 'dave@example.com', PASSWORD, '192.0.2.77'), 3600);
    // … but from home they sign in as usual.
    expect((await login(h, 'dave@example.com', PASSWORD, '198.51.100.50')).status).toBe(200);
  });

  it('registration is limited per IP (20 an hour)', async () => {
    for (let i = 0; i < 20; i++) {
      const res = await h.call('POST', '/api/v1/auth/register', { body: { email: `flood${i}@example.com`, password: PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.50' } });
      expect(res.status).toBe(202);
    }
    const refused = await h.call('POST', '/api/v1/auth/register', { body: { email: 'flood20@example.com', password: PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.50' } });
    expect(expectLimited(refused, 3600)).toBeGreaterThan(3500);
    const elsewhere = await h.call('POST', '/api/v1/auth/register', { body: { email: 'flood20@example.com', password: PASSWORD }, headers: { 'x-forwarded-for': '203.0.113.51' } });
    expect(elsewhere.status).toBe(202);
  });
});

describe('the API description', () => {
  it('documents 429 RATE_LIMITED with Retry-After on sign-in and registration', async () => {
    const h = await startHarness();
    try {
      const doc = (await h.call('GET', '/openapi.json')).body;
      for (const path of ['/api/v1/auth/login', '/api/v1/auth/register']) {
        const refused = doc.paths[path].post.responses['429'];
        expect(refused.description, path).toContain('RATE_LIMITED');
        expect(refused.headers['Retry-After'].schema).toMatchObject({ type: 'integer' });
      }
    } finally {
      await h.close();
    }
  });
});

describe('an attacker forging X-Forwarded-For without a trusted proxy in front', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMITS_ENABLED: 'true' } });
  });
  afterAll(() => h.close());

  it('gains nothing by sending a new X-Forwarded-For with every guess: the peer address is what counts', async () => {
    await signUp(h, 'erin@example.com');
    for (let i = 0; i < 5; i++) expect((await login(h, 'erin@example.com', WRONG, `198.18.0.${i}`)).status).toBe(401);
    expectLimited(await login(h, 'erin@example.com', WRONG, '198.18.0.99'), 60);
  });
});

describe('several nodes on one shared store', () => {
  const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

  it.each(['postgres', 'redis'] as const)('RATE_LIMIT_STORE=%s: guesses spread over two nodes share one lockout', async (store) => {
    if (store === 'redis' && !(await redisAnswers(REDIS_URL))) {
      if (process.env['CI']) throw new Error(`CI needs Redis at ${REDIS_URL}`);
      return;
    }
    const db = store === 'postgres' ? await postgresPersistence() : null;
    const env = { ...BEHIND_PROXY, RATE_LIMIT_STORE: store, ...(store === 'redis' ? { REDIS_URL } : {}) };
    const shared = db ? { persistence: db.persistence, databaseUrl: db.url } : {};
    const nodes = [await startHarness({ env, ...shared }), await startHarness({ env, ...shared })];
    try {
      // No account needed: an unknown email is limited like a known one. Unique per run (Redis outlives it).
      const email = `spread-${randomBytes(6).toString('hex')}@example.com`;
      const ip = `203.0.113.${100 + (randomBytes(1)[0]! % 100)}`;
      for (let i = 0; i < 5; i++) expect((await login(nodes[i % 2]!, email, WRONG, ip)).status).toBe(401);
      expectLimited(await login(nodes[0]!, email, WRONG, ip), 60);
      expectLimited(await login(nodes[1]!, email, WRONG, ip), 60);
    } finally {
      for (const node of nodes) await node.close();
      await db?.cleanup();
    }
  });
});

