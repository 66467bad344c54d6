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
  /** Deletes tokens that expired before `before`; returns how many. */
  deleteExpired(before: Date): Promise<number>;
}
