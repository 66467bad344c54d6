import type { RecoveryCode } from '../../domain/credentials/recovery-code.js';

/** Persistence of recovery codes, hashes only (table `recovery_codes`). */
export interface RecoveryCodeRepository {
  /** Replaces all of the user's codes (used or not) with these; atomic. The user must exist (USER_NOT_FOUND). */
  replaceAll(userId: string, codes: readonly RecoveryCode[]): Promise<void>;
  /**
   * Spends one code atomically (`UPDATE … SET used_at = now WHERE user_id AND code_hash AND
   * used_at IS NULL`): true for exactly one caller, false when unknown or already used.
   */
  spend(userId: string, codeHash: string, now: Date): Promise<boolean>;
  /** How many unused codes the user has left. */
  countUnused(userId: string): Promise<number>;
  /** Removes all of the user's codes; returns how many. */
  deleteAll(userId: string): Promise<number>;
}
