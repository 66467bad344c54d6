import type { OneTimeTokenPurpose } from '../../domain/credentials/one-time-token.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';

/** Single-use tokens that still lead to a session: an organization pick, an MFA step, a magic link. */
const ON_THE_WAY_TO_A_SESSION: readonly OneTimeTokenPurpose[] = ['intermediate_session', 'mfa_challenge', 'magic_link'];

/**
 * Spends every token of the user that could still become a session. Whatever ends a user's sessions
 * (password reset or change, logout everywhere, MFA turned off) ends these too, or a sign-in begun
 * before it (an intermediate token from the old password, say) would finish afterwards.
 */
export async function endPendingSignIns(oneTimeTokens: Pick<OneTimeTokenRepository, 'consumeAllForUser'>, userId: string, now: Date): Promise<void> {
  for (const purpose of ON_THE_WAY_TO_A_SESSION) await oneTimeTokens.consumeAllForUser(userId, purpose, now);
}
