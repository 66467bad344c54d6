import type { AuditEvent } from '../../domain/audit/audit-event.js';
import type { Session, SessionRevocationReason } from '../../domain/credentials/session.js';

/** Result of presenting a refresh token for rotation. */
export type RotationResult =
  | { kind: 'rotated'; session: Session }
  /** The token was valid once but already rotated: someone replayed it. */
  | { kind: 'reused'; sessionId: string; userId: string; tenantId: string | null }
  | { kind: 'unknown' };

/** Persistence of sessions (refresh-token families) and their token hashes. */
export interface SessionRepository {
  /**
   * Stores a new session with its first refresh-token hash and, given one, the audit event of the
   * sign-in that started it: all of them or none, so that session never exists unrecorded and the
   * sign-in is never recorded as succeeded without it.
   */
  create(session: Session, refreshTokenHash: string, startedBy?: AuditEvent): Promise<void>;
  /** The session with this id, or null. */
  findById(id: string): Promise<Session | null>;
  /** The session a refresh token (current or already rotated) belongs to, or null. */
  findByRefreshTokenHash(tokenHash: string): Promise<Session | null>;
  /** The user's sessions that are not revoked and not expired at `now`, newest first. */
  listActiveByUser(userId: string, now: Date): Promise<Session[]>;
  /**
   * Burns `presentedHash` atomically (`UPDATE … WHERE consumed_at IS NULL`) and, if
   * it was live, records `nextHash` in the same family and touches the session via `touch`.
   * Two concurrent rotations of one token: exactly one gets `rotated`.
   */
  rotate(presentedHash: string, nextHash: string, now: Date, touch: (session: Session) => void): Promise<RotationResult>;
  /**
   * Replaces a live session by `next` in one atomic write (switching organization): `next` is stored and
   * takes over every refresh token of `previousId`, current and rotated, so the holder's refresh token goes
   * on working and a replayed old one still revokes the family; `previousId` is revoked with `reason`.
   * Returns false, writing nothing, when `previousId` is not live at `now`.
   */
  succeed(previousId: string, next: Session, now: Date, reason: SessionRevocationReason): Promise<boolean>;
  /** Marks one session revoked (idempotent); returns whether it was live. */
  revoke(id: string, now: Date, reason: SessionRevocationReason): Promise<boolean>;
  /** Revokes all live sessions of a user, optionally except one; returns the revoked ids. */
  revokeAllForUser(userId: string, now: Date, reason: SessionRevocationReason, exceptSessionId?: string): Promise<string[]>;
  /** Revokes all live sessions of a user inside one tenant; returns the revoked ids. */
  revokeAllForMembership(tenantId: string, membershipId: string, now: Date, reason: SessionRevocationReason): Promise<string[]>;
  /** Deletes sessions that ended before `before`; returns how many. */
  deleteExpired(before: Date): Promise<number>;
}
