import type { OneTimeTokenPurpose } from '../../domain/credentials/one-time-token.js';
import type { SessionRevocationReason } from '../../domain/credentials/session.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';

/** Single-use tokens that still lead to a session: an organization pick, an MFA step, a magic link, an invitation (a sign-in link too). */
const ON_THE_WAY_TO_A_SESSION: readonly OneTimeTokenPurpose[] = ['intermediate_session', 'mfa_challenge', 'magic_link', 'invitation'];

/**
 * Ends every sign-in of a user (optionally but one session): revokes their live sessions and spends the
 * tokens still on their way to one, or a sign-in begun before (an intermediate token from the old
 * password, say) would finish afterwards. Returns the revoked session ids, for the caller to publish.
 */
export async function endEverySignIn(
  deps: { oneTimeTokens: Pick<OneTimeTokenRepository, 'consumeAllForUser'>; sessions: Pick<SessionRepository, 'revokeAllForUser'> },
  userId: string,
  now: Date,
  reason: SessionRevocationReason,
  exceptSessionId?: string,
): Promise<string[]> {
  for (const purpose of ON_THE_WAY_TO_A_SESSION) await deps.oneTimeTokens.consumeAllForUser(userId, purpose, now);
  return deps.sessions.revokeAllForUser(userId, now, reason, exceptSessionId);
}
