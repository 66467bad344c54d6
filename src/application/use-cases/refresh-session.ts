import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { assertSignInAllowed } from '../../domain/tenancy/organization-status.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { hashOpaqueToken, newOpaqueToken } from '../security/opaque-token.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { Authenticated } from '../services/auth-outcome.js';
import type { AuthSettings } from '../services/auth-settings.js';
import type { RequestMeta } from '../services/request-meta.js';
import type { SessionIssuer } from '../services/session-issuer.js';

/**
 * Rotates a refresh token. Presenting a token that was already rotated means it
 * leaked (or a client raced itself): the whole family is revoked.
 */
export class RefreshSession {
  constructor(
    private readonly deps: {
      sessions: SessionRepository;
      users: UserRepository;
      orgs: OrganizationRepository;
      memberships: MembershipRepository;
      issuer: SessionIssuer;
      uow: UnitOfWork;
      bus: InvalidationBus;
      audit: AuditRecorder;
      clock: Clock;
      settings: AuthSettings;
      /** Re-checks the provider's session a Gatehouse session is bound to (Stytch). */
      identity: Pick<IdentityProvider, 'name' | 'checkProviderSession'>;
    },
  ) {}

  async execute(refreshToken: string, meta: RequestMeta): Promise<Authenticated> {
    if (this.deps.identity.name !== 'builtin') await this.recheckProviderSession(refreshToken, meta);
    const now = this.deps.clock.now();
    const next = newOpaqueToken();
    const result = await this.deps.uow.run(() =>
      this.deps.sessions.rotate(hashOpaqueToken(refreshToken), next.hash, now, (s) => s.touch(now, this.deps.settings.sessions)),
    );
    if (result.kind === 'unknown') throw new DomainError('REFRESH_TOKEN_INVALID', 'Refresh token is invalid or expired');
    if (result.kind === 'reused') {
      await this.deps.sessions.revoke(result.sessionId, now, 'refresh_reuse');
      await this.deps.bus.publish({ topic: 'session', id: result.sessionId });
      await this.deps.audit.record(
        // In the organization the session belonged to, so its admins see the replay in their audit log.
        { action: 'auth.refresh.reuse_detected', outcome: 'failure', tenantId: result.tenantId, actorUserId: result.userId, targetType: 'session', targetId: result.sessionId },
        meta,
      );
      throw new DomainError('REFRESH_TOKEN_REUSED', 'Refresh token was already used; the session has been revoked');
    }
    const session = result.session;
    const user = await this.deps.users.findById(session.userId);
    if (!user?.canSignIn) throw new DomainError('REFRESH_TOKEN_INVALID', 'Refresh token is invalid or expired');
    if (session.tenantId === null) return this.deps.issuer.authenticated(session, next.token, { user, organization: null, membership: null });
    const org = await this.deps.orgs.findById(session.tenantId);
    const membership = session.membershipId ? await this.deps.memberships.findById(session.tenantId, session.membershipId) : null;
    if (!org || !membership?.isActive) throw new DomainError('REFRESH_TOKEN_INVALID', 'Refresh token is invalid or expired');
    assertSignInAllowed(org.status);
    // Roles are read afresh so a role change shows in the next access token.
    return this.deps.issuer.authenticated(session, next.token, { user, organization: org, membership });
  }

  /**
   * Before rotating (so an unreachable provider costs the client nothing: its token stays
   * valid for a retry): a session whose provider session has ended ends too.
   */
  private async recheckProviderSession(refreshToken: string, meta: RequestMeta): Promise<void> {
    const session = await this.deps.sessions.findByRefreshTokenHash(hashOpaqueToken(refreshToken));
    if (!session?.providerSession || !session.isActiveAt(this.deps.clock.now())) return;
    if (await this.deps.identity.checkProviderSession(session.providerSession)) return;
    if (await this.deps.sessions.revoke(session.id, this.deps.clock.now(), 'provider_session_ended')) {
      await this.deps.bus.publish({ topic: 'session', id: session.id });
      await this.deps.audit.record(
        { action: 'auth.session_revoked', outcome: 'failure', actorUserId: session.userId, tenantId: session.tenantId, targetType: 'session', targetId: session.id, metadata: { reason: 'provider_session_ended' } },
        meta,
      );
    }
    throw new DomainError('REFRESH_TOKEN_INVALID', 'This sign-in has ended at the identity provider; sign in again');
  }
}
