import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { AccessTokenService } from '../ports/access-token-service.port.js';
import type { SessionStatusView } from '../ports/session-status-view.port.js';
import type { Principal } from '../services/request-meta.js';

/**
 * Turns a Bearer token into a Principal: signature and claims first, then the
 * session must still be live, so logout and revocation take effect before the
 * access token expires.
 */
export class AuthenticateRequest {
  constructor(private readonly deps: { tokens: AccessTokenService; sessions: SessionStatusView; clock: Clock }) {}

  async execute(bearer: string): Promise<Principal> {
    const claims = await this.deps.tokens.verify(bearer);
    if (!(await this.deps.sessions.isLive(claims.sid, this.deps.clock.now()))) {
      throw new DomainError('AUTH_SESSION_REVOKED', 'This session has ended; sign in again');
    }
    return { userId: claims.sub, sessionId: claims.sid, tenantId: claims.org, membershipId: claims.member, roles: claims.roles, amr: claims.amr };
  }
}
