import { createHash } from 'node:crypto';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiter, RateLimitStatus } from '../../application/ports/rate-limiter.port.js';
import {
  type CountedPolicyName,
  type FlagPolicyName,
  type LockoutPolicy,
  type RateLimitPolicies,
  type RateLimitPolicyName,
  RATE_LIMIT_POLICIES,
  type WindowPolicyName,
} from '../../application/security/rate-limit-policies.js';
import { DomainError } from '../../domain/shared/domain-error.js';

/** Builds one rate-limiter-flexible limiter on the chosen store (memory, PostgreSQL or Redis). */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

/** The store-level limiters behind one policy. */
type Counters =
  | { kind: 'window'; limit: number; counter: RateLimiterAbstract }
  | { kind: 'lockout'; policy: LockoutPolicy; attempts: RateLimiterAbstract; gate: RateLimiterAbstract; levels: RateLimiterAbstract }
  | { kind: 'flag'; ttlSeconds: number; flag: RateLimiterAbstract };

/**
 * The RateLimiter port on rate-limiter-flexible. Every store operation it uses (`consume`,
 * `penalty`, `reward`, `get`, `set`, `delete`) is atomic per key in memory, PostgreSQL
 * (`INSERT … ON CONFLICT … RETURNING`) and Redis (a Lua script / MULTI), which is what makes
 * count-first safe against parallel bursts.
 *
 * Keys are SHA-256 hashed before they reach the store: emails and IPs never sit in Redis or
 * the `rate_limits` table in clear, and every key fits the column whatever its length.
 */
export class FlexibleRateLimiter implements RateLimiter {
  private readonly counters: Map<RateLimitPolicyName, Counters>;

  constructor(make: LimiterFactory, policies: RateLimitPolicies = RATE_LIMIT_POLICIES) {
    for (const [name, policy] of Object.entries(policies)) {
      const longest =
        policy.kind === 'window' ? policy.windowSeconds : policy.kind === 'flag' ? policy.ttlSeconds : Math.max(policy.maxLockSeconds, policy.memorySeconds);
      // In-process counters (the memory store and every store's fallback) expire keys with setTimeout,
      // which fires at once when given more than 2^31-1 ms: a longer window would silently be 1 ms.
      if (longest * 1000 > MAX_TIMER_MS) throw new Error(`Rate-limit policy ${name} holds keys longer than 24 days`);
    }
    this.counters = new Map(
      (Object.keys(policies) as RateLimitPolicyName[]).map((name): [RateLimitPolicyName, Counters] => {
        const policy = policies[name];
        switch (policy.kind) {
          case 'window':
            return [name, { kind: 'window', limit: policy.limit, counter: make({ keyPrefix: name, points: policy.limit, duration: policy.windowSeconds }) }];
          case 'flag':
            return [name, { kind: 'flag', ttlSeconds: policy.ttlSeconds, flag: make({ keyPrefix: name, points: 1, duration: policy.ttlSeconds }) }];
          case 'lockout':
            return [
              name,
              {
                kind: 'lockout',
                policy,
                // The last free attempt goes through the gate, which starts the first lock.
                attempts: make({ keyPrefix: `${name}:attempts`, points: policy.freeAttempts - 1, duration: policy.memorySeconds }),
                // One attempt per lock period; each period's length is chosen when it starts.
                gate: make({ keyPrefix: `${name}:gate`, points: 1, duration: policy.firstLockSeconds }),
                levels: make({ keyPrefix: `${name}:levels`, points: Number.MAX_SAFE_INTEGER, duration: policy.memorySeconds }),
              },
            ];
        }
      }),
    );
  }

  async consume(policy: CountedPolicyName, key: string): Promise<void> {
    const c = this.counted(policy);
    const k = hashKey(key);
    if (c.kind === 'window') {
      await refusedAsLimited(c.counter.consume(k));
      return;
    }
    const free = c.policy.freeAttempts - 1;
    // Reading first keeps refused attempts from growing the counter; the increment itself is
    // atomic, so parallel requests at the boundary each get a distinct count.
    const before = await c.attempts.get(k);
    if ((before?.consumedPoints ?? 0) < free) {
      const counted = await c.attempts.penalty(k);
      if (counted.consumedPoints <= free) return;
    }
    // Past the free attempts: exactly one attempt per lock period passes (the gate is an atomic
    // counter of 1), and the one that passes starts the next, longer period.
    const level = (await c.levels.get(k))?.consumedPoints ?? 0;
    const seconds = Math.min(c.policy.firstLockSeconds * 2 ** level, c.policy.maxLockSeconds);
    await refusedAsLimited(c.gate.consume(k, 1, { customDuration: seconds }));
    await c.levels.penalty(k);
  }

  async refund(policy: WindowPolicyName, key: string): Promise<void> {
    const c = this.counted(policy);
    if (c.kind !== 'window') throw new Error(`${policy} is not a window policy; end a lockout with reset`);
    await c.counter.reward(hashKey(key));
  }

  async reset(policy: RateLimitPolicyName, key: string): Promise<void> {
    const c = this.policy(policy);
    const k = hashKey(key);
    const limiters = c.kind === 'window' ? [c.counter] : c.kind === 'flag' ? [c.flag] : [c.attempts, c.gate, c.levels];
    await Promise.all(limiters.map((l) => l.delete(k)));
  }

  async peek(policy: CountedPolicyName, key: string): Promise<RateLimitStatus> {
    const c = this.counted(policy);
    const k = hashKey(key);
    if (c.kind === 'window') {
      const state = await c.counter.get(k);
      const attempts = state?.consumedPoints ?? 0;
      return { attempts, retryAfter: state && attempts >= c.limit ? seconds(state.msBeforeNext) : 0 };
    }
    const [attempts, gate, levels] = await Promise.all([c.attempts.get(k), c.gate.get(k), c.levels.get(k)]);
    return {
      attempts: (attempts?.consumedPoints ?? 0) + (levels?.consumedPoints ?? 0),
      retryAfter: gate && gate.consumedPoints >= 1 ? seconds(gate.msBeforeNext) : 0,
    };
  }

  async remember(policy: FlagPolicyName, key: string): Promise<void> {
    const c = this.flag(policy);
    await c.flag.set(hashKey(key), 1, c.ttlSeconds);
  }

  async remembers(policy: FlagPolicyName, key: string): Promise<boolean> {
    const state = await this.flag(policy).flag.get(hashKey(key));
    return (state?.consumedPoints ?? 0) > 0;
  }

  private policy(name: RateLimitPolicyName): Counters {
    const c = this.counters.get(name);
    if (!c) throw new Error(`Unknown rate-limit policy ${name}`);
    return c;
  }

  private counted(name: CountedPolicyName): Exclude<Counters, { kind: 'flag' }> {
    const c = this.policy(name);
    if (c.kind === 'flag') throw new Error(`${name} is a flag policy; use remember/remembers`);
    return c;
  }

  private flag(name: FlagPolicyName): Extract<Counters, { kind: 'flag' }> {
    const c = this.policy(name);
    if (c.kind !== 'flag') throw new Error(`${name} is not a flag policy`);
    return c;
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** Whole seconds to wait, at least 1 (a `Retry-After: 0` invites an immediate retry). */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** rate-limiter-flexible rejects with a RateLimiterRes when it refuses, with an Error when the store fails. */
async function refusedAsLimited(operation: Promise<RateLimiterRes>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      throw new DomainError('RATE_LIMITED', 'Too many attempts; try again later', { retryAfter: seconds(error.msBeforeNext) });
    }
    throw error;
  }
}
