import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Session } from '../../domain/credentials/session.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import { endEverySignIn } from '../services/pending-sign-ins.js';
import { hashOpaqueToken } from '../security/opaque-token.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/**
 * Ends sessions: this one, one of mine, or all of mine. Idempotent. A session bound to a
 * provider session (Stytch) ends there too; Gatehouse's own session ends first, whatever the
 * provider answers, and the audit event records whether the provider confirmed.
 */
export class Logout {
  constructor(
    private readonly deps: {
      sessions: SessionRepository;
      oneTimeTokens: Pick<OneTimeTokenRepository, 'consumeAllForUser'>;
      bus: InvalidationBus;
      audit: AuditRecorder;
      clock: Clock;
      identity: Pick<IdentityProvider, 'revokeProviderSession'>;
    },
  ) {}

  /** Ends the session a refresh token belongs to (rotated tokens of the family count too). */
  async byRefreshToken(refreshToken: string, meta: RequestMeta): Promise<void> {
    const session = await this.deps.sessions.findByRefreshTokenHash(hashOpaqueToken(refreshToken));
    if (!session) return;
    if (await this.deps.sessions.revoke(session.id, this.deps.clock.now(), 'logout')) {
      await this.deps.bus.publish({ topic: 'session', id: session.id });
      const provider = await this.endProviderSessions([session]);
      await this.deps.audit.record({ action: 'auth.logout', actorUserId: session.userId, tenantId: session.tenantId, targetType: 'session', targetId: session.id, metadata: provider }, meta);
    }
  }

  /** Ends one of the caller's own sessions; SESSION_NOT_FOUND for anyone else's. */
  async one(principal: Principal, sessionId: string, meta: RequestMeta): Promise<void> {
    const session = await this.deps.sessions.findById(sessionId);
    if (!session || session.userId !== principal.userId) throw new DomainError('SESSION_NOT_FOUND', 'Session not found');
    if (await this.deps.sessions.revoke(session.id, this.deps.clock.now(), 'revoked_by_user')) {
      await this.deps.bus.publish({ topic: 'session', id: session.id });
      const provider = await this.endProviderSessions([session]);
      await this.deps.audit.record({ action: 'auth.session_revoked', actorUserId: principal.userId, targetType: 'session', targetId: session.id, metadata: provider }, meta);
    }
  }

  /** Ends every session of the caller, on every device. */
  async everywhere(principal: Principal, meta: RequestMeta): Promise<number> {
    const now = this.deps.clock.now();
    const bound = (await this.deps.sessions.listActiveByUser(principal.userId, now)).filter((s) => s.providerSession !== null);
    const ids = await endEverySignIn(this.deps, principal.userId, now, 'logout_everywhere');
    await Promise.all(ids.map((id) => this.deps.bus.publish({ topic: 'session', id })));
    const provider = await this.endProviderSessions(bound.filter((s) => ids.includes(s.id)));
    await this.deps.audit.record({ action: 'auth.logout_everywhere', actorUserId: principal.userId, metadata: { sessions: ids.length, ...provider } }, meta);
    return ids.length;
  }

  /** Revokes the provider sessions behind these sessions; says how many the provider confirmed. */
  private async endProviderSessions(sessions: readonly Session[]): Promise<Record<string, number>> {
    const handles = sessions.flatMap((s) => (s.providerSession ? [s.providerSession] : []));
    if (handles.length === 0) return {};
    const results = await Promise.allSettled(handles.map((h) => this.deps.identity.revokeProviderSession(h)));
    return { providerSessionsRevoked: results.filter((r) => r.status === 'fulfilled').length, providerSessionsFailed: results.filter((r) => r.status === 'rejected').length };
  }
}
