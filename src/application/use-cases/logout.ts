import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import { hashOpaqueToken } from '../security/opaque-token.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** Ends sessions: this one, one of mine, or all of mine. Idempotent. */
export class Logout {
  constructor(private readonly deps: { sessions: SessionRepository; bus: InvalidationBus; audit: AuditRecorder; clock: Clock }) {}

  /** Ends the session a refresh token belongs to (rotated tokens of the family count too). */
  async byRefreshToken(refreshToken: string, meta: RequestMeta): Promise<void> {
    const session = await this.deps.sessions.findByRefreshTokenHash(hashOpaqueToken(refreshToken));
    if (!session) return;
    if (await this.deps.sessions.revoke(session.id, this.deps.clock.now(), 'logout')) {
      await this.deps.bus.publish({ topic: 'session', id: session.id });
      await this.deps.audit.record({ action: 'auth.logout', actorUserId: session.userId, tenantId: session.tenantId, targetType: 'session', targetId: session.id }, meta);
    }
  }

  /** Ends one of the caller's own sessions; SESSION_NOT_FOUND for anyone else's. */
  async one(principal: Principal, sessionId: string, meta: RequestMeta): Promise<void> {
    const session = await this.deps.sessions.findById(sessionId);
    if (!session || session.userId !== principal.userId) throw new DomainError('SESSION_NOT_FOUND', 'Session not found');
    if (await this.deps.sessions.revoke(session.id, this.deps.clock.now(), 'revoked_by_user')) {
      await this.deps.bus.publish({ topic: 'session', id: session.id });
      await this.deps.audit.record({ action: 'auth.session_revoked', actorUserId: principal.userId, targetType: 'session', targetId: session.id }, meta);
    }
  }

  /** Ends every session of the caller, on every device. */
  async everywhere(principal: Principal, meta: RequestMeta): Promise<number> {
    const ids = await this.deps.sessions.revokeAllForUser(principal.userId, this.deps.clock.now(), 'logout_everywhere');
    await Promise.all(ids.map((id) => this.deps.bus.publish({ topic: 'session', id })));
    await this.deps.audit.record({ action: 'auth.logout_everywhere', actorUserId: principal.userId, metadata: { sessions: ids.length } }, meta);
    return ids.length;
  }
}
