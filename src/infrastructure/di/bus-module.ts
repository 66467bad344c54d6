import type { Logger } from 'pino';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import { InProcessInvalidationBus } from '../../adapters/cache/in-process-invalidation-bus.js';
import type { RedisInvalidationBus } from '../../adapters/cache/redis-invalidation-bus.js';
import type { Config } from '../config/config.schema.js';

/**
 * The Redis bus's module (and through it ioredis), loaded by createGatehouse (optional-adapters.ts)
 * only when REDIS_URL is set and the caller brings no bus of its own.
 */
export type RedisBusAdapter = { RedisInvalidationBus: typeof RedisInvalidationBus };

/** A bus that subscribes over the network (the Redis bus): awaited at start-up, closed with the app. */
export interface NetworkedInvalidationBus extends InvalidationBus {
  /** Resolves once messages from other processes arrive; rejects after a timeout (the bus keeps trying). */
  whenReady(): Promise<void>;
  close(): Promise<void>;
}

/** Whether a bus has connections to wait for and to close (without loading the Redis bus's class to ask). */
export function isNetworkedBus(bus: InvalidationBus): bus is NetworkedInvalidationBus {
  const b = bus as Partial<NetworkedInvalidationBus>;
  return typeof b.whenReady === 'function' && typeof b.close === 'function';
}

/**
 * The invalidation bus the configuration chooses: Redis pub/sub when REDIS_URL is set (several
 * nodes then drop each other's stale sessions, profiles and access views at once), else one process.
 */
export function createInvalidationBus(config: Config, logger: Logger, redis: RedisBusAdapter | undefined): InvalidationBus {
  // A listener that threw is a defect in a cache; the bus still told every other listener.
  const listenerFailed = (err: unknown) => logger.error({ err }, 'an invalidation listener threw; the other listeners were told');
  if (!config.REDIS_URL) return new InProcessInvalidationBus(listenerFailed);
  if (!redis) throw new Error('REDIS_URL set: the Redis invalidation bus needs its adapter (createGatehouse loads it)');
  return new redis.RedisInvalidationBus({
    url: config.REDIS_URL,
    // While Redis is away, caches that rely on the bus stop caching; nothing else is lost.
    onError: (err, context) => (context === 'listener' ? listenerFailed(err) : logger.warn({ err, context }, 'Redis invalidation bus: Redis is not answering')),
  });
}
