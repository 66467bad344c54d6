import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { AccessTokenService } from '../ports/access-token-service.port.js';
import type { ExternalSessionVerifier } from '../ports/external-session-verifier.port.js';
import type { SessionStatusView } from '../ports/session-status-view.port.js';
import type { ExternalMemberResolver } from '../services/external-member-resolver.js';
import type { Principal } from '../services/request-meta.js';

/** Bearer tokens of the external identity provider (Stytch session JWTs), when one is configured. */
export interface ExternalSessions {
  verifier: ExternalSessionVerifier;
  members: Pick<ExternalMemberResolver, 'resolve'>;
}

/**
 * Turns a Bearer token into a Principal: signature and claims first, then the
 * session must still be live, so logout and revocation take effect before the
 * access token expires.
 *
 * With an external identity provider, its own session tokens are accepted too: the provider's
 * verifier recognizes them by shape (a synchronous check, so Gatehouse tokens pay nothing more),
 * verifies them, and the member is resolved in the local mirror. The provider's session is then
 * the session (`<provider>:<id>`); it ends when the token expires, or at once when the member is
 * removed from the mirror. Roles come from the local membership, never from the token.
 */
export class AuthenticateRequest {
  constructor(private readonly deps: { tokens: AccessTokenService; sessions: SessionStatusView; clock: Clock; external?: ExternalSessions | undefined }) {}

  async execute(bearer: string): Promise<Principal> {
    const external = this.deps.external;
    if (external !== undefined && external.verifier.recognizes(bearer)) return this.fromExternal(external, bearer);
    const claims = await this.deps.tokens.verify(bearer);
    if (!(await this.deps.sessions.isLive(claims.sid, this.deps.clock.now()))) {
      throw new DomainError('AUTH_SESSION_REVOKED', 'This session has ended; sign in again');
    }
    return { userId: claims.sub, sessionId: claims.sid, tenantId: claims.org, membershipId: claims.member, roles: claims.roles, amr: claims.amr, accessExpiresAt: new Date(claims.exp * 1000) };
  }

  private async fromExternal(external: ExternalSessions, bearer: string): Promise<Principal> {
    const claims = await external.verifier.verify(bearer);
    const member = await external.members.resolve(claims);
    return {
      userId: member.userId,
      sessionId: `${external.verifier.provider}:${claims.sessionId}`,
      tenantId: member.tenantId,
      membershipId: member.membershipId,
      roles: [...member.roles],
      amr: claims.amr,
    };
  }
}
