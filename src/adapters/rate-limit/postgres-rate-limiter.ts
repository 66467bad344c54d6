import pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { FlexibleRateLimiter, type LimiterFactory } from './flexible-rate-limiter.js';
import { limiterParts, type RateLimiterHandle, type SharedStoreRateLimiterFactory } from './local-rate-limiter.js';

/** The table the PostgreSQL store uses, created by Migration20261123030000_rate_limits. */
const TABLE = 'rate_limits';
/** Limiter queries are single short statements; a few connections serve many requests. */
const PG_POOL_MAX = 3;

/** Counters in the PostgreSQL database (RATE_LIMIT_STORE=postgres), with the in-process fallback while it is unreachable. */
export const createPostgresRateLimiter: SharedStoreRateLimiterFactory = (options): RateLimiterHandle => {
  const { base, report, fallback } = limiterParts(options);
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
    limiter: new FlexibleRateLimiter(make, options.policies),
    store: 'postgres',
    ready: async () => {
      await pool.query(`select 1 from ${TABLE} limit 1`);
    },
    close: () => {
      closed = true;
      return pool.end();
    },
  };
};
