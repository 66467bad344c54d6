import { randomUUID } from 'node:crypto';
import type { BillingEvent } from '../../domain/billing/billing-event.js';
import { isStaleBillingEvent } from '../../domain/billing/billing-status.js';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import { Membership } from '../../domain/tenancy/membership.js';
import { grantedMembershipStatus } from '../../domain/tenancy/membership-grant.js';
import { inviteByMail } from './invitation-mail.js';
import { Organization } from '../../domain/tenancy/organization.js';
import { slugify } from '../../domain/tenancy/slug.js';
import { User } from '../../domain/tenancy/user.js';
import type { ExternalMember, ExternalOrganization, IdentityDirectory } from '../ports/identity-directory.port.js';
import type { IdentityLinkRepository } from '../ports/identity-link-repository.port.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OnboardingRepository } from '../ports/onboarding-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { commitOrUndo, linkCreatedOrganization } from './provider-first-write.js';

/** A completed checkout, as the billing port reports it. */
export type CheckoutCompleted = Extract<BillingEvent, { kind: 'checkout_completed' }>;

/** What provisioning did: a new tenant (with its owner) or an upgrade of an existing one. */
export interface ProvisioningResult {
  org: Organization;
  created: boolean;
  /** The owner, when a new tenant was created. */
  ownerId: string | null;
  /**
   * Set when the organization already had another live subscription, which it keeps: the checkout's own
   * subscription was not linked (it bills until an operator cancels it; docs/billing.md, "Two paid checkouts").
   */
  keptSubscriptionId: string | null;
  /**
   * Deletes the organization created at the external identity provider; the caller runs it when
   * its unit of work does not commit after all. Null: nothing was created outside the store.
   */
  undo: (() => Promise<void>) | null;
}

type ProvidedOrganization = { organization: ExternalOrganization; creator: ExternalMember };

/** Slug attempts before giving up (the first is the name itself, then random suffixes). */
const SLUG_ATTEMPTS = 8;

/**
 * Turns a paid checkout into a ready tenant: organization (unique slug, `active`, the plan bought)
 * → owner found or created (invited) by email → admin membership → activation link (72 h, mailed
 * through the outbox by the identity provider) → onboarding checklist. Every write joins the
 * caller's unit of work, so it all commits together or not at all.
 *
 * Idempotent on the billing customer: a checkout for a customer that already has an organization
 * (or one naming `organizationId`, an upgrade by a signed-in admin) updates that organization's plan
 * and subscription instead of creating another; the unique indexes on the customer and subscription
 * make a concurrent second creation fail (CONCURRENT_MODIFICATION) rather than duplicate.
 *
 * With an external identity provider the organization and its owner (invited by the provider
 * when they have no account yet) are created there too, inside the unit of work — after the
 * billing ledger has claimed the event, so a redelivery never creates a second one — and linked
 * in it. A failure later in provisioning deletes it at the provider again; a failure after it
 * returned is the caller's to undo (`undo`).
 */
export class TenantProvisioning {
  constructor(
    private readonly deps: {
      orgs: OrganizationRepository;
      users: UserRepository;
      memberships: MembershipRepository;
      onboarding: OnboardingRepository;
      identity: IdentityProvider;
      /** The identity provider's directory (does nothing with the built-in provider). */
      directory: IdentityDirectory;
      links: IdentityLinkRepository;
      clock: Clock;
    },
  ) {}

  /** Call inside `uow.run`. */
  async provision(event: CheckoutCompleted): Promise<ProvisioningResult> {
    const existing = await this.existingFor(event);
    if (existing) return { ...(await this.upgrade(existing, event)), created: false, ownerId: null, undo: null };
    const now = this.deps.clock.now();
    const owner = await this.ownerFor(event.email, now);
    const { org, provided } = await this.createOrganization(event, owner, now);
    const undo = provided ? () => this.deps.directory.discardOrganization(provided.organization) : null;
    await commitOrUndo(async () => {
      if (!(await this.deps.memberships.findByUser(org.id, owner.id))) {
        const membership = Membership.create({ id: randomUUID(), tenantId: org.id, userId: owner.id, role: 'admin', status: grantedMembershipStatus(owner), now });
        await this.deps.memberships.save(membership);
        if (provided) await linkCreatedOrganization(this.deps.links, { tenantId: org.id, membershipId: membership.id }, provided);
      }
      // An invited owner has no credential yet: the activation link is their way in. An account that never
      // proved its mailbox gets an invitation, a sign-in link that accepts the membership. Either is enqueued in this
      // unit of work, so the mail exists exactly when the tenant does.
      await inviteByMail(this.deps.identity, owner, org.id, { role: 'admin' });
      await this.deps.onboarding.start(org.id, now);
    }, undo);
    return { org, created: true, ownerId: owner.id, keptSubscriptionId: null, undo };
  }

  private async existingFor(event: CheckoutCompleted): Promise<Organization | null> {
    if (event.organizationId !== null) {
      const org = await this.deps.orgs.findById(event.organizationId);
      if (!org) throw new DomainError('TENANT_NOT_FOUND', 'The organization of this checkout no longer exists');
      await this.deps.orgs.lock(org.id);
      return this.deps.orgs.findById(org.id);
    }
    const org = await this.deps.orgs.findByBillingCustomerId(event.customerId);
    if (!org) return null;
    await this.deps.orgs.lock(org.id);
    return this.deps.orgs.findById(org.id);
  }

  /**
   * A paid checkout for an existing tenant: new plan and subscription; a lapsed (past-due or archived)
   * tenant is active again. Newer state counts against it only when it is about the same subscription:
   * events of the subscription it replaces must not undo an upgrade they happened to arrive before.
   *
   * Only a subscription that ended (archived) is replaced. A tenant still billed by another subscription keeps
   * it: two checkouts started before either completed were both paid, and overwriting would leave the first one
   * billing with nothing in Gatehouse pointing at it. The caller records the second for an operator.
   */
  private async upgrade(org: Organization, event: CheckoutCompleted): Promise<{ org: Organization; keptSubscriptionId: string | null }> {
    const now = this.deps.clock.now();
    if (org.billedBySubscription && org.billingSubscriptionId !== event.subscriptionId) {
      return { org, keptSubscriptionId: org.billingSubscriptionId };
    }
    if (org.billingSubscriptionId === event.subscriptionId && isStaleBillingEvent(org.billingUpdatedAt, event.occurredAt)) {
      // Newer billing state was applied already; only link the customer if nothing is linked yet.
      if (org.billingCustomerId === null) org.linkBilling(event.customerId, event.subscriptionId, now);
    } else {
      org.linkBilling(event.customerId, event.subscriptionId, now);
      org.plan = event.planId;
      // An operator's suspension is not lifted by a payment.
      if (org.status !== 'suspended') org.moveTo('active', now);
      org.billingUpdatedAt = event.occurredAt;
    }
    await this.deps.orgs.save(org);
    return { org, keptSubscriptionId: null };
  }

  /** The organization under a free slug: free locally and, with an external provider, there too (created there first). */
  private async createOrganization(event: CheckoutCompleted, owner: User, now: Date): Promise<{ org: Organization; provided: ProvidedOrganization | null }> {
    const base = slugify(event.organizationName);
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
      const slug = attempt === 0 ? base : `${base.slice(0, 50)}-${randomUUID().slice(0, 6)}`;
      const org = Organization.create({ id: randomUUID(), slug, name: event.organizationName, status: 'active', plan: event.planId, now });
      org.linkBilling(event.customerId, event.subscriptionId, now);
      org.billingUpdatedAt = event.occurredAt;
      let provided: ProvidedOrganization | null = null;
      try {
        if (this.deps.directory.external) {
          // Skip a slug held locally before asking the provider; the insert below still decides a race.
          if (await this.deps.orgs.findBySlug(slug)) continue;
          provided = await this.deps.directory.createOrganization(
            { id: org.id, name: org.name, slug },
            { userId: owner.id, email: owner.email, name: owner.name, invite: !owner.canSignIn },
          );
        }
        // Under a savepoint (PostgreSQL adapter): a taken slug fails this insert only, not the unit of work.
        await this.deps.orgs.save(org);
        return { org, provided };
      } catch (error) {
        // The provider's organization is deleted again; a failure to do so must not hide this error.
        if (provided) await this.deps.directory.discardOrganization(provided.organization).catch(() => undefined);
        if (!isDomainError(error, 'TENANT_SLUG_TAKEN')) throw error;
      }
    }
    throw new DomainError('TENANT_SLUG_TAKEN', 'Could not find a free slug for the organization');
  }

  private async ownerFor(email: string, now: Date): Promise<User> {
    const address = normalizeEmail(email);
    const found = await this.deps.users.findByEmail(address);
    if (found) return found;
    const user = User.create({ id: randomUUID(), email: address, status: 'invited', now });
    await this.deps.users.save(user);
    return user;
  }
}
