import type { RotationResult, SessionRepository } from '../../../application/ports/session-repository.port.js';
import type { AuditEvent } from '../../../domain/audit/audit-event.js';
import type { Session, SessionRevocationReason } from '../../../domain/credentials/session.js';
import { cascades } from './cascades.js';
import { constraints } from './constraint-checks.js';
import { copyOf, type InMemoryStore, type Tables } from './in-memory-store.js';

export class InMemorySessionRepository implements SessionRepository {
  constructor(private readonly store: InMemoryStore) {}

  create(session: Session, refreshTokenHash: string, startedBy?: AuditEvent): Promise<void> {
    return this.store.statement((t) => {
      constraints.noDuplicate(t.sessions.has(session.id) || t.refreshTokens.has(refreshTokenHash) || (startedBy !== undefined && t.audit.has(startedBy.id)));
      constraints.userExists(t, session.userId);
      constraints.organizationExists(t, session.tenantId);
      constraints.membershipExists(t, session.membershipId);
      t.sessions.set(session.id, copyOf(session));
      t.refreshTokens.set(refreshTokenHash, { tokenHash: refreshTokenHash, sessionId: session.id, createdAt: session.createdAt, consumedAt: null });
      if (startedBy) t.audit.set(startedBy.id, copyOf(startedBy));
    });
  }

  findById(id: string): Promise<Session | null> {
    return this.store.statement((t) => this.store.one(t.sessions.get(id)));
  }

  findByRefreshTokenHash(tokenHash: string): Promise<Session | null> {
    return this.store.statement((t) => {
      const token = t.refreshTokens.get(tokenHash);
      return this.store.one(token ? t.sessions.get(token.sessionId) : undefined);
    });
  }

  listActiveByUser(userId: string, now: Date): Promise<Session[]> {
    return this.store.statement((t) =>
      this.store.many(
        [...t.sessions.values()]
          .filter((s) => s.userId === userId && s.isActiveAt(now))
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)),
      ),
    );
  }

  rotate(presentedHash: string, nextHash: string, now: Date, touch: (session: Session) => void): Promise<RotationResult> {
    return this.store.statement((t): RotationResult => {
      const token = t.refreshTokens.get(presentedHash);
      const stored = token ? t.sessions.get(token.sessionId) : undefined;
      if (!token || !stored) return { kind: 'unknown' };
      if (token.consumedAt !== null) return { kind: 'reused', sessionId: stored.id, userId: stored.userId, tenantId: stored.tenantId };
      // Burn it, as the single UPDATE … WHERE consumed_at IS NULL does in the database.
      const burnt = { ...token, consumedAt: now };
      if (!stored.isActiveAt(now)) {
        t.refreshTokens.set(presentedHash, burnt);
        return { kind: 'unknown' };
      }
      constraints.noDuplicate(t.refreshTokens.has(nextHash));
      const session = copyOf(stored);
      touch(session);
      t.refreshTokens.set(presentedHash, burnt);
      t.refreshTokens.set(nextHash, { tokenHash: nextHash, sessionId: session.id, createdAt: now, consumedAt: null });
      t.sessions.set(session.id, copyOf(session));
      this.store.persisted.add(session);
      return { kind: 'rotated', session };
    });
  }

  succeed(previousId: string, next: Session, now: Date, reason: SessionRevocationReason): Promise<boolean> {
    return this.store.statement((t) => {
      const previous = t.sessions.get(previousId);
      if (!previous?.isActiveAt(now)) return false;
      constraints.noDuplicate(t.sessions.has(next.id));
      constraints.organizationExists(t, next.tenantId);
      constraints.membershipExists(t, next.membershipId);
      t.sessions.set(next.id, copyOf(next));
      for (const [hash, token] of t.refreshTokens) if (token.sessionId === previousId) t.refreshTokens.set(hash, { ...token, sessionId: next.id });
      markRevoked(t, previous, now, reason);
      return true;
    });
  }

  revoke(id: string, now: Date, reason: SessionRevocationReason): Promise<boolean> {
    return this.store.statement((t) => {
      const session = t.sessions.get(id);
      if (!session || session.revokedAt !== null) return false;
      const live = session.isActiveAt(now);
      markRevoked(t, session, now, reason);
      return live;
    });
  }

  revokeAllForUser(userId: string, now: Date, reason: SessionRevocationReason, exceptSessionId?: string): Promise<string[]> {
    return this.store.statement((t) => revokeLive(t, (s) => s.userId === userId && s.id !== exceptSessionId, now, reason));
  }

  revokeAllForMembership(tenantId: string, membershipId: string, now: Date, reason: SessionRevocationReason): Promise<string[]> {
    return this.store.statement((t) => revokeLive(t, (s) => s.tenantId === tenantId && s.membershipId === membershipId, now, reason));
  }

  deleteExpired(before: Date): Promise<number> {
    return this.store.statement((t) =>
      cascades.deleteSessions(t, (s) => s.expiresAt < before || s.idleExpiresAt < before || (s.revokedAt !== null && s.revokedAt < before)),
    );
  }
}

function markRevoked(t: Tables, session: Session, now: Date, reason: SessionRevocationReason): void {
  const revoked = copyOf(session);
  revoked.revokedAt = now;
  revoked.revokedReason = reason;
  t.sessions.set(session.id, revoked);
}

function revokeLive(t: Tables, match: (session: Session) => boolean, now: Date, reason: SessionRevocationReason): string[] {
  const live = [...t.sessions.values()].filter((s) => match(s) && s.isActiveAt(now));
  for (const session of live) markRevoked(t, session, now, reason);
  return live.map((s) => s.id);
}
