import type { Container } from 'inversify';
import type { Logger } from 'pino';
import type { RateLimiter } from '../../application/ports/rate-limiter.port.js';
import { createRateLimiter, type RateLimiterHandle, type RateLimitStore } from '../../adapters/rate-limit/create-rate-limiter.js';
import type { Config } from '../config/config.schema.js';
import { T } from './tokens.js';

/**
 * Binds the RateLimiter port to the store RATE_LIMIT_STORE names (ADR 0004). `databaseUrl` is the
 * plain URL of the open database, embedded or not (`Database.url`), for `RATE_LIMIT_STORE=postgres`.
 */
export function bindRateLimiter(c: Container, config: Config, logger: Logger, databaseUrl: string | undefined): void {
  c.bind<RateLimiterHandle>(T.RateLimiterHandle).toResolvedValue(() =>
    createRateLimiter({
      ...storeOf(config, databaseUrl),
      enabled: config.RATE_LIMITS_ENABLED,
      onStoreError: (err) => logger.warn({ err }, 'rate-limit store unavailable: this node counts on its own until it answers'),
    }),
  );
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
