import { type RateLimiterHandle, type RateLimiterOptions, rateLimiterFor } from './local-rate-limiter.js';
import { createPostgresRateLimiter } from './postgres-rate-limiter.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';

export type { RateLimiterHandle, RateLimiterOptions, RateLimiterSettings, RateLimitStore } from './local-rate-limiter.js';

/**
 * Builds the rate limiter the options ask for, any store. Shared stores get an in-process fallback
 * (rate-limiter-flexible's insurance limiter): while the store is unreachable each node keeps counting
 * on its own instead of failing open or refusing every sign-in.
 *
 * This module loads every store's client library; the server's composition root does not use it,
 * but binds local-rate-limiter.ts and loads a shared store's module only when it is configured.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiterHandle {
  return rateLimiterFor(options, options.store === 'redis' ? createRedisRateLimiter : options.store === 'postgres' ? createPostgresRateLimiter : undefined);
}
