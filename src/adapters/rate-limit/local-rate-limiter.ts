import { type IRateLimiterOptions, RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter } from '../../application/ports/rate-limiter.port.js';
import type { RateLimitPolicies } from '../../application/security/rate-limit-policies.js';
import { DisabledRateLimiter } from './disabled-rate-limiter.js';
import { FlexibleRateLimiter, type LimiterFactory } from './flexible-rate-limiter.js';

/** Where counters live: this process, the PostgreSQL database (table `rate_limits`), or Redis. */
export type RateLimitStore = { store: 'memory' } | { store: 'postgres'; url: string } | { store: 'redis'; url: string };

/** What every store takes besides where it is. */
export interface RateLimiterSettings {
  enabled: boolean;
  /** Policy numbers; the defaults unless a test needs short windows. */
  policies?: RateLimitPolicies;
  /** Prefix of every stored key (tests isolate runs sharing one Redis or table). */
  keyPrefix?: string;
  /** Told when the store fails and this node falls back to its own counters (at most every 30 s). */
  onStoreError?: (error: unknown) => void;
}

/** Options of `createRateLimiter` (create-rate-limiter.ts). */
export type RateLimiterOptions = RateLimitStore & RateLimiterSettings;

/** A rate limiter and the connections it owns. */
export interface RateLimiterHandle {
  limiter: RateLimiter;
  /** Which store answers (for logs). */
  store: RateLimitStore['store'] | 'disabled';
  /** Resolves once the store answers (Redis connected, PostgreSQL reachable); rejects otherwise. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A shared store's limiter (redis-rate-limiter.ts, postgres-rate-limiter.ts). Each lives in its own
 * module with its client library, so that a process counting in memory never loads them.
 */
export type SharedStoreRateLimiterFactory = (options: RateLimiterSettings & { url: string }) => RateLimiterHandle;

/**
 * The limiter the options ask for. A shared store's factory comes from the caller, who loads its
 * module (and client library) only when the options name that store.
 */
export function rateLimiterFor(options: RateLimiterOptions, shared: SharedStoreRateLimiterFactory | undefined): RateLimiterHandle {
  if (!options.enabled || options.store === 'memory') return createLocalRateLimiter(options);
  if (!shared) throw new Error(`RATE_LIMIT_STORE=${options.store} needs its store adapter (createGatehouse loads it)`);
  return shared(options);
}

/**
 * The limiter that needs no store: nothing counted (`enabled: false`), or counters in this process.
 * Also the shared stores' common parts ({@link limiterParts}).
 */
export function createLocalRateLimiter(options: RateLimiterSettings): RateLimiterHandle {
  if (!options.enabled) {
    return { limiter: new DisabledRateLimiter(), store: 'disabled', ready: async () => {}, close: async () => {} };
  }
  const { base } = limiterParts(options);
  return {
    limiter: new FlexibleRateLimiter((o) => new RateLimiterMemory(base(o)), options.policies),
    store: 'memory',
    ready: async () => {},
    close: async () => {},
  };
}

/**
 * What every store's limiters share: the key prefix and numbers of one limiter (`base`), the
 * throttled store-error report, and the in-process fallback a shared store counts on while it
 * is unreachable (rate-limiter-flexible's insurance limiter).
 */
export function limiterParts(options: RateLimiterSettings): {
  base: (o: Parameters<LimiterFactory>[0]) => IRateLimiterOptions;
  report: (error: unknown) => void;
  fallback: (o: Parameters<LimiterFactory>[0]) => RateLimiterMemory;
} {
  const prefix = options.keyPrefix ?? 'gatehouse:rl';
  const report = throttle(options.onStoreError ?? (() => {}), 30_000);
  const base = (o: Parameters<LimiterFactory>[0]): IRateLimiterOptions => ({ keyPrefix: `${prefix}:${o.keyPrefix}`, points: o.points, duration: o.duration });
  return { base, report, fallback: (o) => new FallbackMemoryLimiter(base(o), report) };
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

function throttle(fn: (error: unknown) => void, everyMs: number): (error: unknown) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    fn(error);
  };
}
