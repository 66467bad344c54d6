import type { OneTimeToken, OneTimeTokenPurpose } from '../../domain/credentials/one-time-token.js';

/** Persistence of single-use tokens, stored by SHA-256 only. */
export interface OneTimeTokenRepository {
  /** Stores a new token. */
  create(token: OneTimeToken): Promise<void>;
  /** The unconsumed, unexpired token with this hash and purpose, without consuming it (for GET previews). */
  peek(purpose: OneTimeTokenPurpose, tokenHash: string, now: Date): Promise<OneTimeToken | null>;
  /**
   * Burns the token atomically: returns it if it was unconsumed, unexpired and of this
   * purpose, and marks it consumed in the same statement; null otherwise. Never check-then-act.
   */
  consume(purpose: OneTimeTokenPurpose, tokenHash: string, now: Date): Promise<OneTimeToken | null>;
  /** Burns every pending token of this purpose for a user (a newer link supersedes older ones); returns how many. */
  consumeAllForUser(userId: string, purpose: OneTimeTokenPurpose, now: Date): Promise<number>;
  /**
   * Burns every pending token of this purpose for a user that names this organization; returns how many.
   * `tenantId` null matches only tokens that name no organization. For links kept per organization
   * (activation): a newer one supersedes the older ones of its own organization, not another's.
   */
  consumeAllForUserInTenant(userId: string, purpose: OneTimeTokenPurpose, tenantId: string | null, now: Date): Promise<number>;
  /**
   * Counts one attempt against a usable token (unconsumed, unexpired, of this purpose, fewer than
   * `maxAttempts` counted), atomically: `UPDATE … SET attempts = attempts + 1 WHERE … AND attempts < max
   * RETURNING`. Returns the token and the count including this attempt; null when it is not usable
   * or out of attempts. Callers count an attempt *before* checking the guess, so parallel guesses
   * cannot exceed the limit. Tokens start with 0 attempts.
   */
  countAttempt(purpose: OneTimeTokenPurpose, tokenHash: string, maxAttempts: number, now: Date): Promise<{ token: OneTimeToken; attempts: number } | null>;
  /** Deletes tokens that expired before `before`; returns how many. */
  deleteExpired(before: Date): Promise<number>;
}
