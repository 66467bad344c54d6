import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuthOutcome, DiscoveredOrganization } from '../services/auth-outcome.js';
import { readIntermediateToken, spendIntermediateToken } from '../services/intermediate-tokens.js';
import type { OrganizationEntry } from '../services/organization-entry.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** Picking an organization: after a first factor (intermediate token) or from a live session (switch). */
export class SelectOrganization {
  constructor(
    private readonly deps: {
      oneTimeTokens: OneTimeTokenRepository;
      users: UserRepository;
      sessions: SessionRepository;
      entry: OrganizationEntry;
      clock: Clock;
    },
  ) {}

  /** Lists the organizations an intermediate token may enter, without spending it. */
  async list(intermediateToken: string): Promise<DiscoveredOrganization[]> {
    const { user, amr } = await readIntermediateToken(this.deps, intermediateToken);
    return this.deps.entry.organizationsOf(user, amr);
  }

  /**
   * Spends the intermediate token (once) for a session in the chosen organization. A choice refused
   * (not a member, archived, a sign-in method the organization does not allow) leaves the token for another pick.
   */
  async exchange(intermediateToken: string, organizationRef: string, meta: RequestMeta): Promise<AuthOutcome> {
    const { user, amr, providerSession } = await readIntermediateToken(this.deps, intermediateToken);
    const step = await this.deps.entry.planOrganization(user, amr, organizationRef, meta, providerSession);
    await spendIntermediateToken(this.deps, intermediateToken);
    return step();
  }

  /**
   * New tokens for another organization of the caller: a session that succeeds the current one (which ends)
   * with its absolute end and its refresh token, which the client keeps (no new one is issued), and an access
   * token that expires no later than the presented one. So a captured access token can neither outlive
   * itself nor become a refresh token by switching.
   */
  async switchTo(principal: Principal, organizationRef: string, meta: RequestMeta): Promise<AuthOutcome> {
    const user = await this.deps.users.findById(principal.userId);
    if (!user?.canSignIn) throw new DomainError('AUTH_SESSION_REVOKED', 'This session has ended; sign in again');
    // The provider's session of the current sign-in moves with it (Stytch: exchanged into the new organization).
    const current = await this.deps.sessions.findById(principal.sessionId);
    // A Stytch session JWT has no Gatehouse session to move: Stytch's own exchange moves it.
    if (!current) throw new DomainError('IDENTITY_CAPABILITY_UNSUPPORTED', 'Only a Gatehouse session can switch organizations; sign in through Gatehouse, or exchange the session at the identity provider');
    const succeeds = { sessionId: principal.sessionId, accessNotAfter: principal.accessExpiresAt ?? null };
    // The current session ends only once the new one exists (an MFA step may come first: then when it succeeds).
    return this.deps.entry.enterOrganization(user, principal.amr, organizationRef, meta, current.providerSession, undefined, succeeds);
  }
}

