import type { Container } from 'inversify';
import type { Logger } from 'pino';
import type { RateLimiter } from '../../application/ports/rate-limiter.port.js';
import {
  rateLimiterFor,
  type RateLimiterHandle,
  type RateLimitStore,
  type SharedStoreRateLimiterFactory,
} from '../../adapters/rate-limit/local-rate-limiter.js';
import type { Config } from '../config/config.schema.js';
import { T } from './tokens.js';

/**
 * The shared store RATE_LIMIT_STORE names when limits are on, whose module (redis-rate-limiter.ts
 * with ioredis, postgres-rate-limiter.ts) createGatehouse loads (optional-adapters.ts); null when
 * counters stay in this process or nothing is counted.
 */
export function sharedRateLimitStore(config: Config): 'redis' | 'postgres' | null {
  return config.RATE_LIMITS_ENABLED && config.RATE_LIMIT_STORE !== 'memory' ? config.RATE_LIMIT_STORE : null;
}

/**
 * Binds the RateLimiter port to the store RATE_LIMIT_STORE names (ADR 0004). `databaseUrl` is the
 * plain URL of the open database, embedded or not (`Database.url`), for `RATE_LIMIT_STORE=postgres`.
 * `sharedStore` is the loaded factory of that store, when it is a shared one.
 */
export function bindRateLimiter(c: Container, config: Config, logger: Logger, databaseUrl: string | undefined, sharedStore: SharedStoreRateLimiterFactory | undefined): void {
  c.bind<RateLimiterHandle>(T.RateLimiterHandle).toResolvedValue(() => {
    const options = {
      ...storeOf(config, databaseUrl),
      enabled: config.RATE_LIMITS_ENABLED,
      onStoreError: (err: unknown) => logger.warn({ err }, 'rate-limit store unavailable: this node counts on its own until it answers'),
    };
    return rateLimiterFor(options, sharedStore);
  });
  c.bind<RateLimiter>(T.RateLimiter).toResolvedValue((handle: RateLimiterHandle) => handle.limiter, [T.RateLimiterHandle]);
}

function storeOf(config: Config, databaseUrl: string | undefined): RateLimitStore {
  switch (config.RATE_LIMIT_STORE) {
    case 'memory':
      return { store: 'memory' };
    case 'redis':
      // loadConfig refuses RATE_LIMIT_STORE=redis without REDIS_URL.
      return { store: 'redis', url: config.REDIS_URL ?? '' };
    case 'postgres':
      if (!databaseUrl) throw new Error('RATE_LIMIT_STORE=postgres needs an open database; pass its URL to the composition root');
      return { store: 'postgres', url: databaseUrl };
  }
}
