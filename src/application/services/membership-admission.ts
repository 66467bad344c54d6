import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { emailDomain } from '../../domain/tenancy/email.js';
import { Membership } from '../../domain/tenancy/membership.js';
import { mailboxProven } from '../../domain/tenancy/membership-grant.js';
import type { Organization } from '../../domain/tenancy/organization.js';
import type { User } from '../../domain/tenancy/user.js';
import type { ExternalMember, IdentityDirectory } from '../ports/identity-directory.port.js';
import type { IdentityLinkRepository } from '../ports/identity-link-repository.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { DiscoveredOrganization } from './auth-outcome.js';
import type { EntitlementGuard } from './entitlement-guard.js';
import { commitOrUndo, linkAddedMember } from './provider-first-write.js';

/**
 * Which organizations a person may enter, and letting them in: an active member
 * enters; an invited member accepts the invitation by entering; a person whose
 * verified email domain an organization allows joins it as a `member` just in time.
 * Accepting an invitation and joining by domain both need proof of the mailbox (a verified
 * address or a link mailed to it): see domain/tenancy/membership-grant.ts.
 * With an external identity provider a join by domain creates the member there first
 * (removed again when the local commit fails); an accepted invitation is the provider's
 * business (accepting its link activates the member there).
 */
export class MembershipAdmission {
  constructor(
    private readonly deps: {
      orgs: OrganizationRepository;
      memberships: MembershipRepository;
      entitlements: EntitlementGuard;
      /** The identity provider's directory (does nothing with the built-in provider). */
      directory: IdentityDirectory;
      links: IdentityLinkRepository;
      uow: UnitOfWork;
      bus: InvalidationBus;
      clock: Clock;
    },
  ) {}

  async discover(user: User, amr: readonly string[]): Promise<DiscoveredOrganization[]> {
    const memberships = await this.deps.memberships.listByUser(user.id);
    const byTenant = new Map(memberships.map((m) => [m.tenantId, m]));
    const orgs = await this.deps.orgs.findManyByIds(memberships.map((m) => m.tenantId));
    const proven = mailboxProven(user, amr);
    const eligible = proven ? await this.deps.orgs.findByAllowedEmailDomain(emailDomain(user.email)) : [];
    const found = new Map<string, DiscoveredOrganization & { status: string }>();
    for (const org of orgs) {
      const m = byTenant.get(org.id)!;
      // An invitation is shown only to whoever proved the mailbox it went to (domain/tenancy/membership-grant.ts).
      if (m.isActive) found.set(org.id, view(org, 'active_member'));
      else if (proven) found.set(org.id, view(org, 'invited_member'));
    }
    for (const org of eligible) if (!found.has(org.id)) found.set(org.id, view(org, 'eligible_by_domain'));
    return [...found.values()]
      .filter((o) => o.status !== 'archived')
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ status: _status, ...rest }) => rest);
  }

  /**
   * Where the user stands in `org`: their membership when it is active (entering needs no write),
   * `admit` when `admit` would let them in (an invitation, or their proven email domain), null for a
   * stranger, who must learn nothing of the organization (not even its status).
   */
  async standing(user: User, org: Organization, amr: readonly string[]): Promise<Membership | 'admit' | null> {
    const existing = await this.deps.memberships.findByUser(org.id, user.id);
    if (existing?.isActive) return existing;
    // Invited, or eligible by domain: either way only whoever proved the mailbox may come in; anyone else is a stranger here.
    if (!mailboxProven(user, amr)) return null;
    return existing || org.policy.allowedEmailDomains.includes(emailDomain(user.email)) ? 'admit' : null;
  }

  /** The membership to sign in with, accepting an invitation or joining by domain when allowed; TENANT_NOT_FOUND otherwise. */
  async admit(user: User, org: Organization, amr: readonly string[]): Promise<Membership> {
    const existing = await this.deps.memberships.findByUser(org.id, user.id);
    const now = this.deps.clock.now();
    if (existing?.isActive) return existing;
    // Not a member and unknown look alike: never reveal another tenant's existence.
    if (!mailboxProven(user, amr)) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
    if (existing) {
      existing.activate(now);
      await this.deps.memberships.save(existing);
      await this.deps.bus.publish({ topic: 'user', id: user.id });
      await this.deps.bus.publish({ topic: 'access', id: org.id });
      return existing;
    }
    if (!org.policy.allowedEmailDomains.includes(emailDomain(user.email))) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
    const joined = Membership.create({ id: randomUUID(), tenantId: org.id, userId: user.id, role: 'member', now });
    const provided = this.deps.directory.external ? await this.joinAtProvider(org, user) : null;
    // Joining by domain takes a seat like an invitation does: checked under the tenant lock.
    const commit = () =>
      this.deps.uow.run(async () => {
        await this.deps.entitlements.assertRoom(org.id, 'members');
        await this.deps.memberships.save(joined);
        if (provided) await linkAddedMember(this.deps.links, { tenantId: org.id, membershipId: joined.id }, provided);
      });
    await commitOrUndo(commit, provided && (() => this.deps.directory.discardMember(provided)));
    await this.deps.bus.publish({ topic: 'user', id: user.id });
    await this.deps.bus.publish({ topic: 'access', id: org.id });
    return joined;
  }

  /** The seat is checked first too: a join the plan refuses never reaches the provider. */
  private async joinAtProvider(org: Organization, user: User): Promise<ExternalMember | null> {
    await this.deps.uow.run(() => this.deps.entitlements.assertRoom(org.id, 'members'));
    return this.deps.directory.addMember(org.id, { email: user.email, name: user.name, role: 'member' });
  }
}

function view(org: Organization, membership: DiscoveredOrganization['membership']): DiscoveredOrganization & { status: string } {
  return { id: org.id, slug: org.slug, name: org.name, membership, mfaRequired: org.policy.mfaRequired, status: org.status };
}
