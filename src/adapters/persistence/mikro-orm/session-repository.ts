import type { EntityManager } from '@mikro-orm/postgresql';
import type { RotationResult, SessionRepository } from '../../../application/ports/session-repository.port.js';
import type { AuditEvent } from '../../../domain/audit/audit-event.js';
import type { Session, SessionRevocationReason } from '../../../domain/credentials/session.js';
import { translated } from './constraint-errors.js';
import { text, type RawRow } from './raw-row.js';
import { RefreshTokenSchema } from './schema/refresh-token.schema.js';
import { SessionSchema } from './schema/session.schema.js';
import type { TransactionScope } from './transaction-scope.js';

/** A live session: not revoked and inside both its idle and absolute windows. */
const LIVE = 'revoked_at is null and idle_expires_at > ? and expires_at > ?';

/** Sessions and their refresh-token hashes in PostgreSQL. */
export class MikroOrmSessionRepository implements SessionRepository {
  constructor(private readonly scope: TransactionScope) {}

  async create(session: Session, refreshTokenHash: string, startedBy?: AuditEvent): Promise<void> {
    // One statement writes every row: atomic without a transaction of its own, and a single round
    // trip on the sign-in path (BEGIN, three INSERTs and COMMIT were five). Each row after the
    // session selects from it, so nothing is written unless the session is.
    const audit = startedBy
      ? `, a as (
           insert into audit_events (id, tenant_id, actor_user_id, action, outcome, target_type, target_id, ip, user_agent, metadata, occurred_at)
           select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ? from s)`
      : '';
    const auditParams = startedBy
      ? [
          startedBy.id, startedBy.tenantId, startedBy.actorUserId, startedBy.action, startedBy.outcome, startedBy.targetType, startedBy.targetId,
          startedBy.ip, startedBy.userAgent, JSON.stringify(startedBy.metadata), startedBy.occurredAt,
        ]
      : [];
    await translated(() =>
      this.scope.write((em) =>
        em.execute(
          `with s as (
             insert into sessions (id, user_id, tenant_id, membership_id, amr, user_agent, ip, created_at, last_used_at,
                                   idle_expires_at, expires_at, revoked_at, revoked_reason, provider_session)
             values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id)${audit}
           insert into refresh_tokens (token_hash, session_id, created_at, consumed_at) select ?, id, ?, null from s`,
          [
            session.id, session.userId, session.tenantId, session.membershipId, JSON.stringify(session.amr), session.userAgent, session.ip,
            session.createdAt, session.lastUsedAt, session.idleExpiresAt, session.expiresAt, session.revokedAt, session.revokedReason,
            session.providerSession, ...auditParams, refreshTokenHash, session.createdAt,
          ],
        ),
      ),
    );
  }

  findById(id: string): Promise<Session | null> {
    return this.scope.em().findOne(SessionSchema, { id }, { disableIdentityMap: true });
  }

  async findByRefreshTokenHash(tokenHash: string): Promise<Session | null> {
    const em = this.scope.em();
    const token = await em.findOne(RefreshTokenSchema, { tokenHash }, { disableIdentityMap: true });
    return token ? em.findOne(SessionSchema, { id: token.sessionId }, { disableIdentityMap: true }) : null;
  }

  listActiveByUser(userId: string, now: Date): Promise<Session[]> {
    return this.scope.em().find(
      SessionSchema,
      { userId, revokedAt: null, idleExpiresAt: { $gt: now }, expiresAt: { $gt: now } },
      { disableIdentityMap: true, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    );
  }

  rotate(presentedHash: string, nextHash: string, now: Date, touch: (session: Session) => void): Promise<RotationResult> {
    return this.scope.atomic(async (em) => {
      // Burn the presented token in one statement; of concurrent rotations exactly one gets the row.
      const burnt = await em.execute<RawRow[]>(
        'update refresh_tokens set consumed_at = ? where token_hash = ? and consumed_at is null returning session_id',
        [now, presentedHash],
      );
      const burntRow = burnt[0];
      if (!burntRow) return this.reusedOrUnknown(em, presentedHash);
      const sessionId = text(burntRow, 'session_id');
      // The row is locked before it is read: the session is written back whole below, and a revocation
      // committed between an unlocked read and that write would be undone (the session live again).
      await em.execute('select 1 from sessions where id = ? for update', [sessionId]);
      const session = await em.findOne(SessionSchema, { id: sessionId }, { disableIdentityMap: true });
      if (!session?.isActiveAt(now)) return { kind: 'unknown' };
      await em.insert(RefreshTokenSchema, { tokenHash: nextHash, sessionId: session.id, createdAt: now, consumedAt: null });
      touch(session);
      await em.nativeUpdate(SessionSchema, { id: session.id }, sessionColumns(session));
      return { kind: 'rotated', session };
    });
  }

  async succeed(previousId: string, next: Session, now: Date, reason: SessionRevocationReason): Promise<boolean> {
    // Locks first, in the order `rotate` takes them (the family's token rows, then the session): a rotation
    // under way finishes before the move, so the token it issues moves too (and neither waits on the other).
    // Then one statement: the new session is inserted only if the previous one was live (and is revoked by
    // the same statement), and the refresh tokens move with it; the foreign keys are checked at its end.
    const rows = await translated(() =>
      this.scope.guarded(async (em) => {
        await em.execute('select 1 from refresh_tokens where session_id = ? for update', [previousId]);
        await em.execute('select 1 from sessions where id = ? for update', [previousId]);
        return em.execute<RawRow[]>(
          `with prev as (
             update sessions set revoked_at = ?, revoked_reason = ? where id = ? and ${LIVE} returning id),
           s as (
             insert into sessions (id, user_id, tenant_id, membership_id, amr, user_agent, ip, created_at, last_used_at,
                                   idle_expires_at, expires_at, revoked_at, revoked_reason, provider_session)
             select ?, ?, ?, ?, ?::jsonb, ?, ?, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz, null, null, ? from prev returning id),
           moved as (
             update refresh_tokens r set session_id = s.id from s, prev where r.session_id = prev.id returning 1)
           select count(*)::int as n from s`,
          [
            now, reason, previousId, now, now,
            next.id, next.userId, next.tenantId, next.membershipId, JSON.stringify(next.amr), next.userAgent, next.ip,
            next.createdAt, next.lastUsedAt, next.idleExpiresAt, next.expiresAt, next.providerSession,
          ],
        );
      }),
    );
    return Number(rows[0]?.['n'] ?? 0) === 1;
  }

  async revoke(id: string, now: Date, reason: SessionRevocationReason): Promise<boolean> {
    // A session that ended by time is marked revoked too, but reported as not live.
    const rows = await this.scope
      .em()
      .execute<RawRow[]>(
        'update sessions set revoked_at = ?, revoked_reason = ? where id = ? and revoked_at is null returning (idle_expires_at > ? and expires_at > ?) as live',
        [now, reason, id, now, now],
      );
    return rows[0]?.['live'] === true;
  }

  async revokeAllForUser(userId: string, now: Date, reason: SessionRevocationReason, exceptSessionId?: string): Promise<string[]> {
    const rows = await this.scope
      .em()
      .execute<RawRow[]>(`update sessions set revoked_at = ?, revoked_reason = ? where user_id = ? and id <> ? and ${LIVE} returning id`, [
        now,
        reason,
        userId,
        exceptSessionId ?? '',
        now,
        now,
      ]);
    return rows.map((row) => text(row, 'id'));
  }

  async revokeAllForMembership(tenantId: string, membershipId: string, now: Date, reason: SessionRevocationReason): Promise<string[]> {
    const rows = await this.scope
      .em()
      .execute<RawRow[]>(`update sessions set revoked_at = ?, revoked_reason = ? where tenant_id = ? and membership_id = ? and ${LIVE} returning id`, [
        now,
        reason,
        tenantId,
        membershipId,
        now,
        now,
      ]);
    return rows.map((row) => text(row, 'id'));
  }

  deleteExpired(before: Date): Promise<number> {
    return this.scope.em().nativeDelete(SessionSchema, { $or: [{ expiresAt: { $lt: before } }, { idleExpiresAt: { $lt: before } }, { revokedAt: { $lt: before } }] });
  }

  /** The presented token was not live: a replay of a rotated token, or a token never issued. */
  private async reusedOrUnknown(em: EntityManager, presentedHash: string): Promise<RotationResult> {
    const token = await em.findOne(RefreshTokenSchema, { tokenHash: presentedHash }, { disableIdentityMap: true });
    if (!token) return { kind: 'unknown' };
    const session = await em.findOne(SessionSchema, { id: token.sessionId }, { disableIdentityMap: true });
    return session ? { kind: 'reused', sessionId: session.id, userId: session.userId, tenantId: session.tenantId } : { kind: 'unknown' };
  }
}

function sessionColumns(session: Session) {
  return {
    id: session.id,
    userId: session.userId,
    tenantId: session.tenantId,
    membershipId: session.membershipId,
    amr: session.amr,
    userAgent: session.userAgent,
    ip: session.ip,
    createdAt: session.createdAt,
    lastUsedAt: session.lastUsedAt,
    idleExpiresAt: session.idleExpiresAt,
    expiresAt: session.expiresAt,
    revokedAt: session.revokedAt,
    revokedReason: session.revokedReason,
    providerSession: session.providerSession,
  };
}
