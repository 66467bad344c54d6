import { Redis } from 'ioredis';
import pg from 'pg';
import { type IRateLimiterOptions, RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter } from '../../application/ports/rate-limiter.port.js';
import type { RateLimitPolicies } from '../../application/security/rate-limit-policies.js';
import { DisabledRateLimiter } from './disabled-rate-limiter.js';
import { FlexibleRateLimiter, type LimiterFactory } from './flexible-rate-limiter.js';

/** Where counters live: this process, the PostgreSQL database (table `rate_limits`), or Redis. */
export type RateLimitStore = { store: 'memory' } | { store: 'postgres'; url: string } | { store: 'redis'; url: string };

/** Options of {@link createRateLimiter}. */
export type RateLimiterOptions = RateLimitStore & {
  enabled: boolean;
  /** Policy numbers; the defaults unless a test needs short windows. */
  policies?: RateLimitPolicies;
  /** Prefix of every stored key (tests isolate runs sharing one Redis or table). */
  keyPrefix?: string;
  /** Told when the store fails and this node falls back to its own counters (at most every 30 s). */
  onStoreError?: (error: unknown) => void;
};

/** A rate limiter and the connections it owns. */
export interface RateLimiterHandle {
  limiter: RateLimiter;
  /** Which store answers (for logs). */
  store: RateLimitStore['store'] | 'disabled';
  /** Resolves once the store answers (Redis connected, PostgreSQL reachable); rejects otherwise. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The table the PostgreSQL store uses, created by Migration20261123030000_rate_limits. */
const TABLE = 'rate_limits';
/** Limiter queries are single short statements; a few connections serve many requests. */
const PG_POOL_MAX = 3;

/**
 * Builds the rate limiter the configuration asks for. Shared stores get an in-process fallback
 * (rate-limiter-flexible's insurance limiter): while the store is unreachable each node keeps counting
 * on its own instead of failing open or refusing every sign-in.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiterHandle {
  if (!options.enabled) {
    return { limiter: new DisabledRateLimiter(), store: 'disabled', ready: async () => {}, close: async () => {} };
  }
  const prefix = options.keyPrefix ?? 'gatehouse:rl';
  const report = throttle(options.onStoreError ?? (() => {}), 30_000);
  const base = (o: Parameters<LimiterFactory>[0]): IRateLimiterOptions => ({ keyPrefix: `${prefix}:${o.keyPrefix}`, points: o.points, duration: o.duration });
  const fallback = (o: Parameters<LimiterFactory>[0]) => new FallbackMemoryLimiter(base(o), report);
  const policies = options.policies;

  switch (options.store) {
    case 'memory':
      return {
        limiter: new FlexibleRateLimiter((o) => new RateLimiterMemory(base(o)), policies),
        store: 'memory',
        ready: async () => {},
        close: async () => {},
      };
    case 'postgres': {
      const pool = new pg.Pool({ connectionString: options.url, max: PG_POOL_MAX });
      pool.on('error', report); // an idle client losing its connection must not crash the process
      // What the limiters see of the pool. Statement names are dropped: the embedded PGlite serves every
      // connection from one session, where a name prepared by one pooled connection collides with the
      // same name from another ("prepared statement … already exists"). Errors are reported before
      // the fallback takes over.
      let closed = false;
      const client = {
        query: (q: pg.QueryConfig) =>
          closed // the expired-row sweep's timer may outlive close(): nothing to report then
            ? Promise.reject(new Error('rate limiter closed'))
            : pool.query({ text: q.text, ...(q.values ? { values: q.values } : {}) }).catch((error: unknown) => Promise.reject(reported(error))),
      };
      const reported = (error: unknown) => {
        report(error);
        return error;
      };
      let first = true;
      const make: LimiterFactory = (o) => {
        // Expired rows are swept by one limiter only: they all share the table.
        const sweep = first;
        first = false;
        return new RateLimiterPostgres({ ...base(o), storeClient: client, storeType: 'pool', tableName: TABLE, tableCreated: true, clearExpiredByTimeout: sweep, insuranceLimiter: fallback(o) });
      };
      return {
        limiter: new FlexibleRateLimiter(make, policies),
        store: 'postgres',
        ready: async () => {
          await pool.query(`select 1 from ${TABLE} limit 1`);
        },
        close: () => {
          closed = true;
          return pool.end();
        },
      };
    }
    case 'redis': {
      // Not-ready means fall back at once (rejectIfRedisNotReady) rather than queue requests behind reconnects.
      const client = new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
      client.on('error', report);
      const make: LimiterFactory = (o) => new RateLimiterRedis({ ...base(o), storeClient: client, rejectIfRedisNotReady: true, insuranceLimiter: fallback(o) });
      return {
        limiter: new FlexibleRateLimiter(make, policies),
        store: 'redis',
        ready: (timeoutMs = 5_000) => redisReady(client, timeoutMs),
        close: async () => {
          await client.quit().catch(() => client.disconnect());
        },
      };
    }
  }
}

/** The insurance limiter: plain memory counters that say when they are used (the store failed). */
class FallbackMemoryLimiter extends RateLimiterMemory {
  constructor(
    options: IRateLimiterOptions,
    private readonly report: (error: unknown) => void,
  ) {
    super(options);
  }

  override consume(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.report(new Error('rate-limit store unavailable; counting in this process'));
    return super.consume(key, points, options);
  }

  override penalty(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.report(new Error('rate-limit store unavailable; counting in this process'));
    return super.penalty(key, points, options);
  }
}

function redisReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

function throttle(fn: (error: unknown) => void, everyMs: number): (error: unknown) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    fn(error);
  };
}
