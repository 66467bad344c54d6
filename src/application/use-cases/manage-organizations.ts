import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import { Membership } from '../../domain/tenancy/membership.js';
import { Organization, type OrganizationPolicy } from '../../domain/tenancy/organization.js';
import { assertValidSlug, slugify } from '../../domain/tenancy/slug.js';
import type { IdentityDirectory } from '../ports/identity-directory.port.js';
import type { IdentityLinkRepository } from '../ports/identity-link-repository.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { OrgContext } from '../services/org-context.js';
import { advanceLink, commitOrUndo, linkCreatedOrganization } from '../services/provider-first-write.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/**
 * Creating, reading, updating and deleting organizations. With an external identity provider
 * every write goes to the provider first and commits locally second; a creation whose local
 * commit fails is deleted at the provider again (services/provider-first-write.ts).
 */
export class ManageOrganizations {
  constructor(
    private readonly deps: {
      orgs: OrganizationRepository;
      users: UserRepository;
      memberships: MembershipRepository;
      sessions: Pick<SessionRepository, 'revokeAllForMembership'>;
      /** The identity provider's directory (does nothing with the built-in provider). */
      directory: IdentityDirectory;
      links: IdentityLinkRepository;
      context: OrgContext;
      uow: UnitOfWork;
      bus: InvalidationBus;
      audit: AuditRecorder;
      clock: Clock;
    },
  ) {}

  /** Creates an organization with the caller as its first admin. */
  async create(userId: string, input: { name: string; slug?: string | undefined }, meta: RequestMeta): Promise<{ org: Organization; membership: Membership }> {
    const explicit = input.slug !== undefined ? assertValidSlug(input.slug) : undefined;
    const base = explicit ?? slugify(input.name);
    const creator = this.deps.directory.external ? await this.creatorAtProvider(userId) : null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const slug = explicit ?? (attempt === 0 ? base : `${base.slice(0, 50)}-${randomUUID().slice(0, 6)}`);
      try {
        const id = randomUUID();
        // A slug held locally never reaches the provider; one taken there fails (TENANT_SLUG_TAKEN) and is retried alike.
        if (creator && (await this.deps.orgs.findBySlug(slug))) throw new DomainError('TENANT_SLUG_TAKEN', 'This organization slug is taken');
        const provided = creator ? await this.deps.directory.createOrganization({ id, name: input.name, slug }, creator) : null;
        const created = await commitOrUndo(
          () =>
            this.deps.uow.run(async () => {
              const now = this.deps.clock.now();
              const org = Organization.create({ id, slug, name: input.name, now });
              const membership = Membership.create({ id: randomUUID(), tenantId: org.id, userId, role: 'admin', now });
              await this.deps.orgs.save(org);
              await this.deps.memberships.save(membership);
              if (provided) await linkCreatedOrganization(this.deps.links, { tenantId: org.id, membershipId: membership.id }, provided);
              await this.deps.audit.record({ action: 'organization.created', tenantId: org.id, actorUserId: userId, targetType: 'organization', targetId: org.id }, meta);
              return { org, membership };
            }),
          provided && (() => this.deps.directory.discardOrganization(provided.organization)),
        );
        await this.deps.bus.publish({ topic: 'user', id: userId });
        return created;
      } catch (error) {
        if (explicit !== undefined || !isDomainError(error, 'TENANT_SLUG_TAKEN')) throw error;
      }
    }
    throw new DomainError('TENANT_SLUG_TAKEN', 'Could not find a free slug; pass one explicitly');
  }

  /** Refuses now what `create` would refuse for an explicit slug (invalid, taken), so a caller can check before spending anything on it. */
  async assertSlugFree(slug: string | undefined): Promise<void> {
    if (slug !== undefined && (await this.deps.orgs.findBySlug(assertValidSlug(slug)))) throw new DomainError('TENANT_SLUG_TAKEN', 'This organization slug is taken');
  }

  /** The creator as the provider gets them: an account that cannot sign in yet is invited by the provider. */
  private async creatorAtProvider(userId: string): Promise<{ userId: string; email: string; name: string | null; invite: boolean }> {
    const user = await this.deps.users.findById(userId);
    if (!user) throw new DomainError('USER_NOT_FOUND', 'User not found');
    return { userId: user.id, email: user.email, name: user.name, invite: !user.canSignIn };
  }

  async get(principal: Principal, orgRef: string, meta: RequestMeta): Promise<Organization> {
    return (await this.deps.context.require(principal, orgRef, 'organization:read', meta)).org;
  }

  /** Members with `organization:update` (admins) rename, re-slug or change the policy. */
  async update(
    principal: Principal,
    orgRef: string,
    patch: { name?: string | undefined; slug?: string | undefined; policy?: Partial<OrganizationPolicy> | undefined },
    meta: RequestMeta,
  ): Promise<Organization> {
    const { org } = await this.deps.context.require(principal, orgRef, 'organization:update', meta);
    const before = providerFields(org);
    const now = this.deps.clock.now();
    if (patch.name !== undefined) org.rename(patch.name, now);
    if (patch.slug !== undefined) org.changeSlug(patch.slug, now);
    if (patch.policy !== undefined) org.updatePolicy(patch.policy, now);
    const changed = this.deps.directory.external ? changedProviderFields(before, providerFields(org)) : null;
    const provided = changed ? await this.deps.directory.updateOrganization(org.id, changed.after) : null;
    await commitOrUndo(
      () =>
        this.deps.uow.run(async () => {
          await this.deps.orgs.save(org);
          if (provided) await advanceLink(this.deps.links, 'organization', org.id, provided.updatedAt);
          await this.deps.audit.record(
            { action: 'organization.updated', tenantId: org.id, actorUserId: principal.userId, targetType: 'organization', targetId: org.id, metadata: { fields: Object.keys(patch).join(',') } },
            meta,
          );
        }),
      changed && provided && (() => this.deps.directory.updateOrganization(org.id, changed.before)),
    );
    await this.deps.bus.publish({ topic: 'tenant', id: org.id });
    return org;
  }

  /** Members with `organization:delete` (admins) delete the organization and everything it owns. */
  async delete(principal: Principal, orgRef: string, meta: RequestMeta): Promise<void> {
    // An archived organization (its subscription ended) may still be deleted by its admins.
    const { org } = await this.deps.context.require(principal, orgRef, 'organization:delete', meta, { archived: 'allowed' });
    // Deleting it would leave Stripe billing a subscription nothing tracks any more.
    if (org.billedBySubscription) {
      throw new DomainError('BILLING_SUBSCRIPTION_ACTIVE', 'Cancel the organization\'s subscription in the billing portal first; once it has ended the organization can be deleted');
    }
    const members = await this.deps.memberships.listByTenant(org.id);
    // Deleted at the provider first (its sessions end there); a retry after a failed local delete finds it gone, which counts as deleted.
    await this.deps.directory.deleteOrganization(org.id);
    const sessionIds = await this.deps.uow.run(async () => {
      // The delete removes the organization's sessions with it; revoking them first names them, so every
      // node drops them from its session cache now rather than when the cache entry ages out.
      const now = this.deps.clock.now();
      const revoked = await Promise.all(members.map((m) => this.deps.sessions.revokeAllForMembership(org.id, m.id, now, 'organization_deleted')));
      await this.deps.orgs.delete(org.id);
      await this.deps.audit.record({ action: 'organization.deleted', actorUserId: principal.userId, targetType: 'organization', targetId: org.id, metadata: { slug: org.slug } }, meta);
      return revoked.flat();
    });
    await Promise.all([
      this.deps.bus.publish({ topic: 'tenant', id: org.id }),
      ...members.map((m) => this.deps.bus.publish({ topic: 'user', id: m.userId })),
      ...sessionIds.map((id) => this.deps.bus.publish({ topic: 'session', id })),
    ]);
  }
}

/** What the identity provider keeps of an organization. */
interface ProviderFields {
  name: string;
  slug: string;
  mfaRequired: boolean;
  emailAllowedDomains: readonly string[];
}

function providerFields(org: Organization): ProviderFields {
  return { name: org.name, slug: org.slug, mfaRequired: org.policy.mfaRequired, emailAllowedDomains: [...org.policy.allowedEmailDomains] };
}

/** The provider's fields that differ, before and after; null when none does (nothing to tell the provider). */
function changedProviderFields(before: ProviderFields, after: ProviderFields): { before: Partial<ProviderFields>; after: Partial<ProviderFields> } | null {
  const keys = (Object.keys(after) as Array<keyof ProviderFields>).filter((k) => String(before[k]) !== String(after[k]));
  if (keys.length === 0) return null;
  const pick = (fields: ProviderFields) => Object.fromEntries(keys.map((k) => [k, fields[k]])) as Partial<ProviderFields>;
  return { before: pick(before), after: pick(after) };
}
