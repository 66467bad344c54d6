import { describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../src/application/ports/rate-limiter.port.js';
import { RATE_LIMIT_POLICIES, type RateLimitPolicies } from '../../src/application/security/rate-limit-policies.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';

/** Small numbers, so the contract runs in a few requests; one-second windows where time must pass. */
export const CONTRACT_POLICIES: RateLimitPolicies = {
  ...RATE_LIMIT_POLICIES,
  register_ip: { kind: 'window', limit: 3, windowSeconds: 60 },
  password_reset_ip: { kind: 'window', limit: 2, windowSeconds: 1 },
  login_account_ip: { kind: 'lockout', freeAttempts: 3, firstLockSeconds: 60, maxLockSeconds: 90, memorySeconds: 3600 },
  mfa_account_ip: { kind: 'lockout', freeAttempts: 2, firstLockSeconds: 1, maxLockSeconds: 3600, memorySeconds: 3600 },
  login_known_ip: { kind: 'flag', ttlSeconds: 60 },
};

/** Makes a limiter over CONTRACT_POLICIES on one store; each call isolates its keys from earlier ones. */
export type RateLimiterFactory = () => Promise<{ limiter: RateLimiter; cleanup(): Promise<void> }>;

async function refusal(attempt: Promise<unknown>): Promise<number> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('RATE_LIMITED');
  const retryAfter = (error as DomainError).details?.['retryAfter'];
  expect(typeof retryAfter).toBe('number');
  return retryAfter as number;
}

async function outcomes(attempts: Promise<unknown>[]): Promise<{ passed: number; refused: number }> {
  const settled = await Promise.allSettled(attempts);
  for (const s of settled) if (s.status === 'rejected') expect((s.reason as DomainError).code).toBe('RATE_LIMITED');
  return { passed: settled.filter((s) => s.status === 'fulfilled').length, refused: settled.filter((s) => s.status === 'rejected').length };
}

/** What every RateLimiter adapter must do, whatever its store. */
export function rateLimiterContract(name: string, make: RateLimiterFactory): void {
  describe(`RateLimiter contract on ${name}`, () => {
    const withLimiter = (test: (limiter: RateLimiter) => Promise<void>) => async () => {
      const { limiter, cleanup } = await make();
      try {
        await test(limiter);
      } finally {
        await cleanup();
      }
    };

    it(
      'window: allows `limit` attempts, then refuses with RATE_LIMITED and a Retry-After within the window',
      withLimiter(async (limiter) => {
        for (let i = 0; i < 3; i++) await limiter.consume('register_ip', '10.0.0.1');
        const retryAfter = await refusal(limiter.consume('register_ip', '10.0.0.1'));
        expect(retryAfter).toBeGreaterThanOrEqual(59);
        expect(retryAfter).toBeLessThanOrEqual(60);
        // Other keys and other policies keep their own counts.
        await limiter.consume('register_ip', '10.0.0.2');
        await limiter.consume('password_reset_ip', '10.0.0.1');
      }),
    );

    it(
      'window: peek reads without counting; refund gives one back; reset forgets',
      withLimiter(async (limiter) => {
        expect(await limiter.peek('register_ip', 'k')).toEqual({ attempts: 0, retryAfter: 0 });
        for (let i = 0; i < 3; i++) await limiter.consume('register_ip', 'k');
        const full = await limiter.peek('register_ip', 'k');
        expect(full.attempts).toBe(3);
        expect(full.retryAfter).toBeGreaterThanOrEqual(59);
        expect((await limiter.peek('register_ip', 'k')).attempts).toBe(3);
        await limiter.refund('register_ip', 'k');
        await limiter.consume('register_ip', 'k');
        await refusal(limiter.consume('register_ip', 'k'));
        await limiter.reset('register_ip', 'k');
        expect(await limiter.peek('register_ip', 'k')).toEqual({ attempts: 0, retryAfter: 0 });
        await limiter.consume('register_ip', 'k');
      }),
    );

    it(
      'window: a parallel burst gets exactly `limit` attempts through (counted atomically in the store)',
      withLimiter(async (limiter) => {
        const result = await outcomes(Array.from({ length: 25 }, () => limiter.consume('register_ip', 'burst')));
        expect(result).toEqual({ passed: 3, refused: 22 });
      }),
    );

    it(
      'lockout: `freeAttempts` pass, the next is refused for firstLockSeconds; reset (a success) ends the lock',
      withLimiter(async (limiter) => {
        for (let i = 0; i < 3; i++) await limiter.consume('login_account_ip', 'alice@example.com 10.0.0.1');
        const retryAfter = await refusal(limiter.consume('login_account_ip', 'alice@example.com 10.0.0.1'));
        expect(retryAfter).toBeGreaterThanOrEqual(59);
        expect(retryAfter).toBeLessThanOrEqual(60);
        // Refused attempts do not lengthen the lock.
        expect(await refusal(limiter.consume('login_account_ip', 'alice@example.com 10.0.0.1'))).toBeLessThanOrEqual(60);
        expect((await limiter.peek('login_account_ip', 'alice@example.com 10.0.0.1')).retryAfter).toBeGreaterThanOrEqual(59);
        // The same account from another IP is a different key.
        await limiter.consume('login_account_ip', 'alice@example.com 10.0.0.2');
        await limiter.reset('login_account_ip', 'alice@example.com 10.0.0.1');
        expect(await limiter.peek('login_account_ip', 'alice@example.com 10.0.0.1')).toEqual({ attempts: 0, retryAfter: 0 });
        for (let i = 0; i < 3; i++) await limiter.consume('login_account_ip', 'alice@example.com 10.0.0.1');
      }),
    );

    it(
      'lockout: a parallel burst gets exactly `freeAttempts` through',
      withLimiter(async (limiter) => {
        const result = await outcomes(Array.from({ length: 30 }, () => limiter.consume('login_account_ip', 'burst@example.com 10.0.0.9')));
        expect(result).toEqual({ passed: 3, refused: 27 });
      }),
    );

    it(
      'flag: remembers a key until reset, and nothing else',
      withLimiter(async (limiter) => {
        expect(await limiter.remembers('login_known_ip', 'bob@example.com 10.0.0.1')).toBe(false);
        await limiter.remember('login_known_ip', 'bob@example.com 10.0.0.1');
        await limiter.remember('login_known_ip', 'bob@example.com 10.0.0.1');
        expect(await limiter.remembers('login_known_ip', 'bob@example.com 10.0.0.1')).toBe(true);
        expect(await limiter.remembers('login_known_ip', 'bob@example.com 10.0.0.2')).toBe(false);
        await limiter.reset('login_known_ip', 'bob@example.com 10.0.0.1');
        expect(await limiter.remembers('login_known_ip', 'bob@example.com 10.0.0.1')).toBe(false);
      }),
    );

    it(
      'keys of any length and content (they are hashed before they reach the store)',
      withLimiter(async (limiter) => {
        const long = `${'x'.repeat(300)}@example.com ${'f'.repeat(39)}`;
        for (let i = 0; i < 3; i++) await limiter.consume('register_ip', long);
        await refusal(limiter.consume('register_ip', long));
        await limiter.consume('register_ip', `${long}'; drop table rate_limits; --`);
      }),
    );

    it(
      'time: a window ends, and after a lock exactly one attempt passes and starts a lock twice as long',
      withLimiter(async (limiter) => {
        // password_reset_ip: 2 per second; mfa_account_ip: 2 free, then locks of 1 s, 2 s, …
        await limiter.consume('password_reset_ip', 'w');
        await limiter.consume('password_reset_ip', 'w');
        expect(await refusal(limiter.consume('password_reset_ip', 'w'))).toBe(1);
        await limiter.consume('mfa_account_ip', 'user-1');
        await limiter.consume('mfa_account_ip', 'user-1');
        expect(await refusal(limiter.consume('mfa_account_ip', 'user-1'))).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 1_100)); // the one real wait: stores expire keys on wall-clock time
        await limiter.consume('password_reset_ip', 'w');
        await limiter.consume('mfa_account_ip', 'user-1');
        expect(await refusal(limiter.consume('mfa_account_ip', 'user-1'))).toBe(2);
      }),
    );
  });
}
