import type { TotpFactor } from '../../domain/credentials/totp-factor.js';

/** Persistence of TOTP factors, one per user (table `totp_factors`). */
export interface TotpFactorRepository {
  /** The user's factor, pending or active; null when none. */
  findByUser(userId: string): Promise<TotpFactor | null>;
  /**
   * Stores a pending factor, replacing the user's pending one if any. Returns false (and
   * changes nothing) when the user already has an active factor: an active secret is never
   * replaced silently. The user must exist (USER_NOT_FOUND).
   */
  savePending(factor: TotpFactor): Promise<boolean>;
  /**
   * Activates the pending factor `factorId` and records the step of the code that confirmed it,
   * in one statement. False when that factor is no longer the user's pending one (a newer setup
   * replaced it, or it was confirmed already).
   */
  confirm(userId: string, factorId: string, step: number, now: Date): Promise<boolean>;
  /**
   * Accepts a code's time step once, atomically: stores it when the active factor has no newer
   * or equal step (`… WHERE last_used_step IS NULL OR last_used_step < step`). False means a
   * replay (or no active factor): the caller refuses the code.
   */
  acceptStep(userId: string, step: number): Promise<boolean>;
  /** Removes the user's factor, pending or active; returns whether one existed. */
  delete(userId: string): Promise<boolean>;
}
