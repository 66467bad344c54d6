import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import { rateLimitKeys } from '../security/rate-limit-keys.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import { endEverySignIn } from '../services/pending-sign-ins.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { AuthOutcome, OrgSelectionRequired } from '../services/auth-outcome.js';
import { readIntermediateToken, spendIntermediateToken } from '../services/intermediate-tokens.js';
import type { OrganizationEntry } from '../services/organization-entry.js';
import type { RequestMeta } from '../services/request-meta.js';
import type { ManageOrganizations } from './manage-organizations.js';

/**
 * Magic-link discovery: email → link → an intermediate token listing the
 * organizations the person may enter (member, invited, or eligible by verified
 * domain) → pick one, or create a new one. A magic link is one factor: entering an
 * organization that needs MFA still asks for it.
 */
export class Discovery {
  constructor(
    private readonly deps: {
      identity: IdentityProvider;
      users: UserRepository;
      oneTimeTokens: OneTimeTokenRepository;
      sessions: Pick<SessionRepository, 'revokeAllForUser'>;
      bus: InvalidationBus;
      entry: OrganizationEntry;
      organizations: ManageOrganizations;
      audit: AuditRecorder;
      limiter: RateLimiter;
      clock: Clock;
    },
  ) {}

  async sendLink(input: { email: string; redirectUrl?: string | undefined }, meta: RequestMeta): Promise<void> {
    if (!this.deps.identity.supports('magic_link')) throw new DomainError('IDENTITY_CAPABILITY_UNSUPPORTED', 'Magic links are not available');
    await this.deps.limiter.consume('magic_link_ip', rateLimitKeys.ip(meta));
    await this.deps.limiter.consume('magic_link_account', rateLimitKeys.account(input.email));
    await this.deps.identity.sendMagicLink(input.email, input.redirectUrl ?? null);
  }

  async authenticate(token: string, meta: RequestMeta): Promise<OrgSelectionRequired> {
    const identity = await this.deps.identity.verifyMagicLink(token);
    const user = await this.deps.users.findById(identity.userId);
    if (!user) throw new DomainError('MAGIC_LINK_INVALID', 'This sign-in link is invalid or has expired');
    if (identity.mailboxClaimed) {
      // The owner of the mailbox arrived; whoever held the account before them is signed out everywhere.
      const ids = await endEverySignIn(this.deps, user.id, this.deps.clock.now(), 'mailbox_claimed');
      await Promise.all(ids.map((id) => this.deps.bus.publish({ topic: 'session', id })));
    }
    await this.deps.audit.record({ action: 'auth.magic_link.authenticated', actorUserId: user.id, ...(identity.mailboxClaimed ? { metadata: { mailboxClaimed: true } } : {}) }, meta);
    return this.deps.entry.offerChoice(user, identity.amr, await this.deps.entry.organizationsOf(user, identity.amr), identity.providerSession);
  }

  /**
   * Spends the intermediate token to create an organization with the person as admin, and signs in to it.
   * A slug refused (invalid, taken) leaves the token for another try.
   */
  async createOrganization(input: { intermediateToken: string; name: string; slug?: string | undefined }, meta: RequestMeta): Promise<AuthOutcome> {
    const { user, amr, providerSession } = await readIntermediateToken(this.deps, input.intermediateToken);
    await this.deps.organizations.assertSlugFree(input.slug);
    await spendIntermediateToken(this.deps, input.intermediateToken);
    const { org } = await this.deps.organizations.create(user.id, { name: input.name, slug: input.slug }, meta);
    return this.deps.entry.enterOrganization(user, amr, org.id, meta, providerSession);
  }
}
