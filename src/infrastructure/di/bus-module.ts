import type { Logger } from 'pino';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import { InProcessInvalidationBus } from '../../adapters/cache/in-process-invalidation-bus.js';
import { RedisInvalidationBus } from '../../adapters/cache/redis-invalidation-bus.js';
import type { Config } from '../config/config.schema.js';

/**
 * The invalidation bus the configuration chooses: Redis pub/sub when REDIS_URL is set (several
 * nodes then drop each other's stale sessions, profiles and access views at once), else one process.
 */
export function createInvalidationBus(config: Config, logger: Logger): InvalidationBus {
  if (!config.REDIS_URL) return new InProcessInvalidationBus();
  return new RedisInvalidationBus({
    url: config.REDIS_URL,
    // While Redis is away, caches that rely on the bus stop caching; nothing else is lost.
    onError: (err, context) => logger.warn({ err, context }, 'Redis invalidation bus: Redis is not answering'),
  });
}
