import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../domain/audit/audit-event.js';
import { Session } from '../../domain/credentials/session.js';
import type { Membership } from '../../domain/tenancy/membership.js';
import type { Organization } from '../../domain/tenancy/organization.js';
import type { User } from '../../domain/tenancy/user.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { AccessTokenService } from '../ports/access-token-service.port.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import { newOpaqueToken } from '../security/opaque-token.js';
import type { Authenticated } from './auth-outcome.js';
import type { AuthSettings } from './auth-settings.js';
import type { RequestMeta } from './request-meta.js';

/** Roles carried in tokens: the system role first, then custom roles. */
export function rolesOf(membership: Membership | null): string[] {
  return membership ? [membership.role, ...membership.customRoles] : [];
}

/** Who signs in where, with which factors, from which request (and the provider's handle of the sign-in, if any). */
export interface SignIn {
  user: User;
  organization: Organization | null;
  membership: Membership | null;
  amr: string[];
  meta: RequestMeta;
  providerSession?: string | null;
}

/**
 * A session being replaced by the one about to start (switching organization): the new one keeps its
 * absolute end and its refresh tokens. `accessNotAfter` caps the first access token, so that an access
 * token alone cannot be turned into a longer-lived one; null after a fresh second factor.
 */
export interface Succession {
  sessionId: string;
  accessNotAfter: Date | null;
}

/**
 * Starts a session (a refresh-token family) and signs its first access token.
 * The one place that turns a successful authentication into tokens.
 */
export class SessionIssuer {
  constructor(
    private readonly deps: {
      sessions: SessionRepository;
      tokens: AccessTokenService;
      clock: Clock;
      settings: AuthSettings;
      /** Opens the provider's own session to bind (Stytch); the built-in provider has none. */
      identity: Pick<IdentityProvider, 'openSession' | 'revokeProviderSession'>;
      /** Tells every node a succeeded session ended. */
      bus: InvalidationBus;
    },
  ) {}

  async start(input: SignIn & {
    /** The audit event of the sign-in, written with the session in one atomic write. */
    signIn?: AuditEvent | undefined;
  }): Promise<Authenticated> {
    const session = await this.newSession(input, this.deps.clock.now(), null);
    const refresh = newOpaqueToken();
    // The access token is signed while the session row is written; it leaves only once the row exists.
    const [, authenticated] = await Promise.all([this.deps.sessions.create(session, refresh.hash, input.signIn), this.authenticated(session, refresh.token, input)]);
    return authenticated;
  }

  /**
   * Starts a session that succeeds a live one (switching organization): it keeps that one's absolute end and
   * takes over its refresh tokens, so no new refresh token is issued (the outcome's is null); the old session
   * ends, with its provider session. AUTH_SESSION_REVOKED when the old one is no longer live.
   */
  async succeed(input: SignIn & { succeeds: Succession }): Promise<Authenticated> {
    const previous = await this.deps.sessions.findById(input.succeeds.sessionId);
    const now = this.deps.clock.now();
    if (!previous?.isActiveAt(now) || previous.userId !== input.user.id) throw sessionEnded();
    const session = await this.newSession(input, now, previous.expiresAt);
    // The provider's session opened for the new one (Stytch) must not outlive a succession that did not happen.
    const discard = () => (session.providerSession && session.providerSession !== previous.providerSession ? this.deps.identity.revokeProviderSession(session.providerSession).catch(() => undefined) : undefined);
    const moved = await this.deps.sessions.succeed(previous.id, session, now, 'switched_organization').catch(async (error: unknown) => {
      await discard();
      throw error;
    });
    if (!moved) {
      await discard();
      throw sessionEnded();
    }
    await this.deps.bus.publish({ topic: 'session', id: previous.id });
    // The provider's session in the old organization ends with it (exchanging does not end it at Stytch).
    if (previous.providerSession && previous.providerSession !== session.providerSession) await this.deps.identity.revokeProviderSession(previous.providerSession).catch(() => undefined);
    return this.authenticated(session, null, input, input.succeeds.accessNotAfter);
  }

  /** A new session for this sign-in, bound to the provider's own session (Stytch), ending at `notAfter` at the latest. */
  private async newSession(input: SignIn, now: Date, notAfter: Date | null): Promise<Session> {
    const providerSession = await this.deps.identity.openSession({ userId: input.user.id, tenantId: input.organization?.id ?? null, providerSession: input.providerSession ?? null });
    return Session.start({
      id: randomUUID(),
      userId: input.user.id,
      tenantId: input.organization?.id ?? null,
      membershipId: input.membership?.id ?? null,
      amr: input.amr,
      userAgent: input.meta.userAgent,
      ip: input.meta.ip,
      now,
      lifetimes: this.deps.settings.sessions,
      providerSession,
      notAfter,
    });
  }

  /** Signs a new access token for an existing session (after a refresh). */
  async authenticated(
    session: Session,
    refreshToken: string | null,
    input: { user: User; organization: Organization | null; membership: Membership | null },
    accessNotAfter: Date | null = null,
  ): Promise<Authenticated> {
    const roles = rolesOf(input.membership);
    const access = await this.deps.tokens.issue({
      sub: input.user.id,
      org: input.organization?.id ?? null,
      member: input.membership?.id ?? null,
      roles,
      sid: session.id,
      amr: session.amr,
    }, accessNotAfter);
    return {
      status: 'authenticated',
      accessToken: access.token,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      refreshToken,
      session: { id: session.id, expiresAt: session.expiresAt.toISOString() },
      user: { id: input.user.id, email: input.user.email, name: input.user.name },
      organization: input.organization ? { id: input.organization.id, slug: input.organization.slug, name: input.organization.name } : null,
      member: input.membership ? { id: input.membership.id, roles } : null,
    };
  }
}

function sessionEnded(): DomainError {
  return new DomainError('AUTH_SESSION_REVOKED', 'This session has ended; sign in again');
}
