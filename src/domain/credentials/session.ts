import { addSeconds } from '../shared/clock.js';

/** Why a session ended; recorded for the audit trail and the sessions list. */
export type SessionRevocationReason = 'logout' | 'logout_everywhere' | 'refresh_reuse' | 'revoked_by_user' | 'password_changed' | 'member_removed' | 'admin' | 'mfa_disabled' | 'provider_session_ended' | 'organization_archived' | 'organization_deleted' | 'mailbox_claimed' | 'switched_organization';

/** Lifetimes applied to a session, in seconds. */
export interface SessionLifetimes {
  /** A session unused for this long ends. */
  idleTimeoutSeconds: number;
  /** A session ends this long after sign-in, however active. */
  absoluteLifetimeSeconds: number;
}

/**
 * A signed-in device: one refresh-token family. Every refresh rotates the token
 * but keeps the session; reuse of a rotated token revokes the session (the family).
 */
export class Session {
  id!: string;
  userId!: string;
  tenantId!: string | null;
  membershipId!: string | null;
  /** Authentication methods used (RFC 8176 values: pwd, otp, mfa, swk, email). */
  amr!: string[];
  userAgent!: string | null;
  ip!: string | null;
  createdAt!: Date;
  lastUsedAt!: Date;
  idleExpiresAt!: Date;
  expiresAt!: Date;
  revokedAt!: Date | null;
  revokedReason!: SessionRevocationReason | null;
  /**
   * The identity provider's own session this one is bound to (Stytch), as an opaque handle the
   * provider sealed; null when Gatehouse is the provider. Refresh re-checks it, logout revokes it.
   */
  providerSession!: string | null;

  static start(input: {
    id: string;
    userId: string;
    tenantId: string | null;
    membershipId: string | null;
    amr: string[];
    userAgent: string | null;
    ip: string | null;
    now: Date;
    lifetimes: SessionLifetimes;
    providerSession?: string | null;
    /** The latest end: a session that succeeds another keeps that one's absolute end. */
    notAfter?: Date | null;
  }): Session {
    const s = new Session();
    s.id = input.id;
    s.userId = input.userId;
    s.tenantId = input.tenantId;
    s.membershipId = input.membershipId;
    s.amr = input.amr;
    s.userAgent = input.userAgent?.slice(0, 512) ?? null;
    s.ip = input.ip;
    s.createdAt = input.now;
    s.lastUsedAt = input.now;
    const end = addSeconds(input.now, input.lifetimes.absoluteLifetimeSeconds);
    s.expiresAt = input.notAfter ? earliest(end, input.notAfter) : end;
    s.idleExpiresAt = earliest(addSeconds(input.now, input.lifetimes.idleTimeoutSeconds), s.expiresAt);
    s.revokedAt = null;
    s.revokedReason = null;
    s.providerSession = input.providerSession ?? null;
    return s;
  }

  /** Live: not revoked, not idle too long, not past its absolute lifetime. */
  isActiveAt(now: Date): boolean {
    return this.revokedAt === null && now < this.idleExpiresAt && now < this.expiresAt;
  }

  /** Records use (a refresh) and slides the idle window, never past the absolute end. */
  touch(now: Date, lifetimes: SessionLifetimes): void {
    this.lastUsedAt = now;
    this.idleExpiresAt = earliest(addSeconds(now, lifetimes.idleTimeoutSeconds), this.expiresAt);
  }
}

function earliest(a: Date, b: Date): Date {
  return a < b ? a : b;
}
