import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { FlexibleRateLimiter, type LimiterFactory } from './flexible-rate-limiter.js';
import { limiterParts, type RateLimiterHandle, type SharedStoreRateLimiterFactory } from './local-rate-limiter.js';

/**
 * Counters in Redis (RATE_LIMIT_STORE=redis), with the in-process fallback while Redis is away.
 * In its own module so that ioredis is loaded only when this store is configured.
 */
export const createRedisRateLimiter: SharedStoreRateLimiterFactory = (options): RateLimiterHandle => {
  const { base, report, fallback } = limiterParts(options);
  // Not-ready means fall back at once (rejectIfRedisNotReady) rather than queue requests behind reconnects.
  const client = new Redis(options.url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  client.on('error', report);
  const make: LimiterFactory = (o) => new RateLimiterRedis({ ...base(o), storeClient: client, rejectIfRedisNotReady: true, insuranceLimiter: fallback(o) });
  return {
    limiter: new FlexibleRateLimiter(make, options.policies),
    store: 'redis',
    ready: (timeoutMs = 5_000) => redisReady(client, timeoutMs),
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
};

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
