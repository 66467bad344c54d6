import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimiterHandle, type RateLimitStore } from '../../../src/adapters/rate-limit/create-rate-limiter.js';
import { CONTRACT_POLICIES, rateLimiterContract, type RateLimiterFactory } from '../../contracts/rate-limiter.contract.js';
import { pglitePersistence, postgresLabel, postgresPersistence, type TestDatabase } from '../../support/test-database.js';
import { redisAnswers as probeRedis } from '../../support/redis.js';

/** Redis for these tests: TEST_REDIS_URL, else the local server; CI must have one, elsewhere it may be absent. */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redisAnswers = await probeRedis(REDIS_URL);
if (!redisAnswers && process.env['CI']) throw new Error(`CI needs Redis for the rate-limit tests at ${REDIS_URL} (set TEST_REDIS_URL)`);

/** Every key of this run starts with it, so runs sharing one Redis or table never meet. */
const RUN = `gatehouse-test:${randomBytes(4).toString('hex')}`;
let limiters = 0;

function factory(store: () => Promise<{ store: RateLimitStore; cleanup(): Promise<void> }>): RateLimiterFactory {
  return async () => {
    const { store: chosen, cleanup } = await store();
    // A store error would silently switch to in-process counters and hide a broken store: fail instead.
    const storeErrors: unknown[] = [];
    const handle = createRateLimiter({ ...chosen, enabled: true, policies: CONTRACT_POLICIES, keyPrefix: `${RUN}:${++limiters}`, onStoreError: (e) => storeErrors.push(e) });
    await handle.ready();
    return {
      limiter: handle.limiter,
      cleanup: async () => {
        await handle.close();
        await cleanup();
        expect(storeErrors).toEqual([]);
      },
    };
  };
}

function database(open: () => Promise<TestDatabase>) {
  let db: Promise<TestDatabase> | null = null;
  afterAll(async () => {
    if (db) await (await db).cleanup();
  });
  // One database per store for the whole file; each limiter gets its own key prefix.
  return async () => ({ store: { store: 'postgres', url: (await (db ??= open())).url } as RateLimitStore, cleanup: async () => {} });
}

afterAll(async () => {
  if (!redisAnswers) return;
  const client = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${RUN}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
});

rateLimiterContract('memory', factory(async () => ({ store: { store: 'memory' }, cleanup: async () => {} })));
rateLimiterContract(postgresLabel(), factory(database(() => postgresPersistence())));
rateLimiterContract('PGlite', factory(database(() => pglitePersistence())));
describe.skipIf(!redisAnswers)(`Redis (${REDIS_URL})`, () => {
  rateLimiterContract('Redis', factory(async () => ({ store: { store: 'redis', url: REDIS_URL }, cleanup: async () => {} })));
});

describe('rate limiter outside the contract', () => {
  it('stores only hashed keys in PostgreSQL: no email or IP in the rate_limits table', async () => {
    const db = await postgresPersistence();
    const handle = createRateLimiter({ store: 'postgres', url: db.url, enabled: true, keyPrefix: 'hashed' });
    try {
      await handle.limiter.consume('login_account_ip', 'alice@example.com 203.0.113.7');
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query<{ key: string; points: number }>('select key, points from rate_limits');
      await client.end();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.key).toMatch(/^hashed:login_account_ip:attempts:[A-Za-z0-9_-]{43}$/);
      expect(rows[0]!.key).not.toContain('alice');
    } finally {
      await handle.close();
      await db.cleanup();
    }
  });

  it.each<[string, RateLimitStore]>([
    ['Redis', { store: 'redis', url: 'redis://127.0.0.1:1' }],
    ['PostgreSQL', { store: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' }],
  ])('keeps limiting in this process when the %s store is unreachable (never fails open)', async (_name, store) => {
    const errors: unknown[] = [];
    const handle: RateLimiterHandle = createRateLimiter({ ...store, enabled: true, policies: CONTRACT_POLICIES, onStoreError: (e) => errors.push(e) });
    try {
      await expect(handle.ready(500)).rejects.toThrow();
      for (let i = 0; i < 3; i++) await handle.limiter.consume('register_ip', '10.1.1.1');
      await expect(handle.limiter.consume('register_ip', '10.1.1.1')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await handle.close();
    }
  });

  it('RATE_LIMITS_ENABLED=false allows everything and remembers nothing', async () => {
    const { limiter } = createRateLimiter({ store: 'memory', enabled: false });
    for (let i = 0; i < 100; i++) await limiter.consume('login_ip', '10.0.0.1');
    await limiter.remember('login_known_ip', 'x');
    expect(await limiter.remembers('login_known_ip', 'x')).toBe(false);
  });
});


describe('the default policy table', () => {
  it('works on in-process counters: remembered IPs stay remembered (no window beyond what timers can hold)', async () => {
    const { limiter } = createRateLimiter({ store: 'memory', enabled: true });
    await limiter.remember('login_known_ip', 'dave@example.com 198.51.100.50');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await limiter.remembers('login_known_ip', 'dave@example.com 198.51.100.50')).toBe(true);
  });

  it('refuses a policy that holds keys longer than timers can (they would expire after 1 ms)', () => {
    expect(() =>
      createRateLimiter({ store: 'memory', enabled: true, policies: { ...CONTRACT_POLICIES, login_known_ip: { kind: 'flag', ttlSeconds: 30 * 24 * 3600 } } }),
    ).toThrow(/login_known_ip .* 24 days/);
  });
});
