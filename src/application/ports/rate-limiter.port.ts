import type { CountedPolicyName, FlagPolicyName, RateLimitPolicyName, WindowPolicyName } from '../security/rate-limit-policies.js';

/** What a counted policy says about a key right now, without counting anything. */
export interface RateLimitStatus {
  /** Attempts counted in the current window or lockout series. */
  attempts: number;
  /** Seconds until the key may try again; 0 when it may try now. */
  retryAfter: number;
}

/**
 * Abuse protection: counters, lockouts and remembered facts per policy and key, shared by every node
 * that uses the same store. Policies and their numbers live in `RATE_LIMIT_POLICIES`; keys are spelled
 * with `rateLimitKeys`.
 *
 * Count first, then work: `consume` counts the attempt atomically in the store *before* the expensive
 * or guessable step (password hash, code check, mail), so a burst of parallel requests cannot all slip
 * through between a check and an increment. A success then gives back what should not count (`refund`)
 * or ends a lockout (`reset`).
 *
 * Refusals throw `DomainError('RATE_LIMITED', …, { retryAfter })` (seconds, ≥ 1); the HTTP adapter
 * answers 429 with `Retry-After`. Store outages do not open the gates: each node falls back to
 * in-process counters until the store answers again.
 */
export interface RateLimiter {
  /**
   * Counts one attempt for `key`; throws RATE_LIMITED when the policy refuses it. Window policies refuse
   * the attempt after `limit`; lockout policies refuse attempts while a lock runs.
   */
  consume(policy: CountedPolicyName, key: string): Promise<void>;
  /**
   * Gives back one attempt counted by `consume` on a window policy (e.g. a success that must not count
   * as a failure). Lockout policies end with `reset` instead.
   */
  refund(policy: WindowPolicyName, key: string): Promise<void>;
  /** Forgets everything about `key` under `policy`: counts, lock level, running lock, remembered flag. */
  reset(policy: RateLimitPolicyName, key: string): Promise<void>;
  /** Reads the state of `key` without counting (for UIs, or to refuse early without spending an attempt). */
  peek(policy: CountedPolicyName, key: string): Promise<RateLimitStatus>;
  /** Remembers `key` under a flag policy for its TTL (renewed on every call). */
  remember(policy: FlagPolicyName, key: string): Promise<void>;
  /** Whether `key` is remembered under a flag policy. */
  remembers(policy: FlagPolicyName, key: string): Promise<boolean>;
}
