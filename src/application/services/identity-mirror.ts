import { randomUUID } from 'node:crypto';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import type { Membership } from '../../domain/tenancy/membership.js';
import { Organization } from '../../domain/tenancy/organization.js';
import { isOlderProviderState, latestProviderTime } from '../../domain/tenancy/provider-state-order.js';
import { slugify } from '../../domain/tenancy/slug.js';
import type { User } from '../../domain/tenancy/user.js';
import type { ExternalMember, ExternalOrganization } from '../ports/identity-directory.port.js';
import type { DirectoryChange } from '../ports/identity-webhook-source.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import { nameBasedUuid } from '../security/name-based-uuid.js';
import {
  type IdentityMirrorDeps,
  liveLink,
  type MemberStep,
  MIRROR_META,
  MIRROR_SOURCE,
  MirrorMembers,
  type MirrorOutcome,
  type PendingInvalidations,
} from './identity-mirror-members.js';

export type { IdentityMirrorDeps, MirrorOutcome, PendingInvalidations } from './identity-mirror-members.js';

/** A member as the mirror holds it. `membership` is null when the provider removed (or locked out) the member. */
export interface MirroredMember {
  user: User;
  organization: Organization;
  membership: Membership | null;
}

/** A lost race (another writer created the same user, membership or row first) is retried this often. */
const MAX_ATTEMPTS = 3;

/** Whether `error` means another writer created the same row first: the whole unit of work may be retried. */
export function lostMirrorRace(error: unknown): boolean {
  return isDomainError(error) && ['CONCURRENT_MODIFICATION', 'USER_ALREADY_EXISTS', 'MEMBER_ALREADY_EXISTS', 'TENANT_SLUG_TAKEN'].includes(error.code);
}

/**
 * Keeps the local mirror of an external identity provider's directory (Stytch organizations and
 * members) in step, so roles, entities, grants and billing work as in built-in mode. Called by the
 * provider adapter at sign-in (JIT) and by the provider's webhooks.
 *
 * - Order: every state carries the provider's `updated_at`; one older than the newest applied is
 *   ignored (`stale`), whatever order deliveries arrive in (domain/tenancy/provider-state-order.ts).
 * - Deletions leave tombstones. A deleted organization is archived (data kept) and never revived;
 *   a deleted member can come back only with a state stamped after the deletion (reactivation).
 * - Ids: what the mirror creates is named after the provider's id (`nameBasedUuid`), so two
 *   processes mirroring one new object at once write one row; a lost race on a user's email or a
 *   membership fails the unit of work, which is retried whole.
 * - The provider is authoritative. A provider deletion removes the member at once (sessions revoked
 *   with `member_removed`, grants go by cascade) even when the member is the organization's last
 *   admin: the person no longer exists at the provider, so no sign-in can succeed, and refusing would
 *   only make the provider redeliver forever. The audit entry then says `lastAdmin: true`, and an
 *   operator (or the provider) names a new admin. Provider role changes are applied likewise, and
 *   seat limits are not enforced on the mirror (members come from the provider's directory, SCIM, JIT).
 * - Every method is one unit of work; invalidations (access views, sessions, users, tenants) are
 *   published after it committed. A caller that runs the mirror inside its own unit of work passes
 *   `pending` and publishes those after its commit (see ReceiveIdentityWebhook).
 */
export class IdentityMirror {
  private readonly members: MirrorMembers;

  constructor(private readonly deps: IdentityMirrorDeps) {
    this.members = new MirrorMembers(deps);
  }

  /** Creates or updates the local organization; returns it (unchanged when the state is stale or the organization was deleted). */
  async syncOrganization(org: ExternalOrganization, pending?: PendingInvalidations): Promise<Organization> {
    return (await this.committed((p) => this.organizationStep(org, p), pending)).org;
  }

  /**
   * Ensures the organization (from `organization` when given, else by its link: TENANT_NOT_FOUND
   * when there is none, or it was deleted), the user (by email; a new one is active, without a
   * password: it signs in through the provider only) and the membership with the member's role.
   */
  async syncMember(member: ExternalMember, organization?: ExternalOrganization, pending?: PendingInvalidations): Promise<MirroredMember> {
    const step = await this.committed((p) => this.memberStep(member, organization, p), pending);
    if (step.outcome === 'unknown' || !step.mirrored) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
    const { user, organization: org, membership } = step.mirrored;
    if (!user) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
    return { user, organization: org, membership };
  }

  /** Deletes the member's membership (sessions revoked at once) and leaves a tombstone. */
  async removeMember(externalMemberId: string, at: Date | null, pending?: PendingInvalidations): Promise<void> {
    await this.committed((p) => this.members.remove(externalMemberId, at, p), pending);
  }

  /** Archives the organization (data kept, sign-in refused with TENANT_ARCHIVED), revokes its sessions, leaves a tombstone. */
  async removeOrganization(externalOrganizationId: string, at: Date | null, pending?: PendingInvalidations): Promise<void> {
    await this.committed((p) => this.removeOrganizationStep(externalOrganizationId, at, p), pending);
  }

  /** Applies one directory change inside the caller's unit of work; the caller publishes `pending` after its commit. */
  async apply(change: DirectoryChange, pending: PendingInvalidations): Promise<MirrorOutcome> {
    switch (change.kind) {
      case 'member_upserted':
        return (await this.memberStep(change.member, undefined, pending)).outcome;
      case 'member_removed':
        return this.members.remove(change.externalMemberId, change.at, pending);
      case 'organization_upserted':
        return (await this.organizationStep(change.organization, pending)).outcome;
      case 'organization_removed':
        return this.removeOrganizationStep(change.externalOrganizationId, change.at, pending);
      case 'ignored':
        return 'ignored';
    }
  }

  /** The local organization of a provider organization (an archived one too, once deleted), or null. */
  async localOrganizationId(externalId: string): Promise<string | null> {
    return (await this.deps.links.findByExternal('organization', externalId))?.localId ?? null;
  }

  /** The provider organization of a local one, or null (none, or deleted at the provider). */
  async externalOrganizationId(tenantId: string): Promise<string | null> {
    return liveLink(await this.deps.links.findByLocal('organization', tenantId))?.externalId ?? null;
  }

  /** The local membership of a provider member, or null (none, or removed). */
  async localMembershipId(externalMemberId: string): Promise<string | null> {
    return liveLink(await this.deps.links.findByExternal('member', externalMemberId))?.localId ?? null;
  }

  /** The provider member of a local membership, or null. */
  async externalMemberId(membershipId: string): Promise<string | null> {
    return liveLink(await this.deps.links.findByLocal('member', membershipId))?.externalId ?? null;
  }

  private async memberStep(ext: ExternalMember, extOrg: ExternalOrganization | undefined, pending: PendingInvalidations): Promise<MemberStep> {
    const org = extOrg
      ? await this.organizationStep(extOrg, pending).then((step) => (step.outcome === 'deleted' ? null : step.org))
      : await this.linkedOrganization(ext.externalOrganizationId);
    return this.members.upsert(ext, org, pending);
  }

  /** The live local organization of a provider organization, or null. */
  private async linkedOrganization(externalOrganizationId: string): Promise<Organization | null> {
    const link = liveLink(await this.deps.links.findByExternal('organization', externalOrganizationId));
    return link ? this.deps.orgs.findById(link.localId) : null;
  }

  private async organizationStep(ext: ExternalOrganization, pending: PendingInvalidations): Promise<{ outcome: MirrorOutcome; org: Organization }> {
    const link = await this.deps.links.findByExternal('organization', ext.externalId);
    if (link) await this.deps.orgs.lock(link.localId);
    const existing = link ? await this.deps.orgs.findById(link.localId) : null;
    if (link && existing) {
      if (link.deletedAt) return { outcome: 'deleted', org: existing };
      if (isOlderProviderState(link.sourceUpdatedAt, ext.updatedAt)) return { outcome: 'stale', org: existing };
      await this.updateOrganization(existing, ext, pending);
      await this.deps.links.save({ ...link, sourceUpdatedAt: latestProviderTime(link.sourceUpdatedAt, ext.updatedAt) });
      return { outcome: 'applied', org: existing };
    }
    const now = this.deps.clock.now();
    const org = Organization.create({ id: nameBasedUuid(`organization:${ext.externalId}`), slug: await this.freeSlug(ext, null), name: nameOf(ext), now });
    org.updatePolicy({ mfaRequired: ext.mfaRequired, allowedEmailDomains: ext.emailAllowedDomains }, now);
    await this.deps.orgs.save(org);
    await this.deps.links.save({ kind: 'organization', externalId: ext.externalId, localId: org.id, tenantId: org.id, sourceUpdatedAt: ext.updatedAt, deletedAt: null });
    await this.deps.audit.record({ action: 'organization.created', tenantId: org.id, targetType: 'organization', targetId: org.id, metadata: { ...MIRROR_SOURCE, slug: org.slug } }, MIRROR_META);
    pending.push({ topic: 'tenant', id: org.id });
    return { outcome: 'applied', org };
  }

  private async updateOrganization(org: Organization, ext: ExternalOrganization, pending: PendingInvalidations): Promise<void> {
    const now = this.deps.clock.now();
    const fields: string[] = [];
    if (org.name !== nameOf(ext)) {
      org.rename(nameOf(ext), now);
      fields.push('name');
    }
    const slug = await this.freeSlug(ext, org);
    if (slug !== org.slug) {
      org.changeSlug(slug, now);
      fields.push('slug');
    }
    const domains = [...new Set(ext.emailAllowedDomains.map((d) => d.toLowerCase()))];
    if (org.policy.mfaRequired !== ext.mfaRequired || org.policy.allowedEmailDomains.join() !== domains.join()) {
      org.updatePolicy({ mfaRequired: ext.mfaRequired, allowedEmailDomains: domains }, now);
      fields.push('policy');
    }
    if (fields.length === 0) return;
    await this.deps.orgs.save(org);
    await this.deps.audit.record({ action: 'organization.updated', tenantId: org.id, targetType: 'organization', targetId: org.id, metadata: { ...MIRROR_SOURCE, fields: fields.join(',') } }, MIRROR_META);
    pending.push({ topic: 'tenant', id: org.id });
  }

  /**
   * The provider's slug in Gatehouse's alphabet. Slugs are unique locally, and the mirror may lag
   * behind the provider or hold organizations that never were the provider's: when another
   * organization holds the slug, a new one gets the slug with a suffix derived from its provider id
   * (random if that is taken too), and an existing one keeps its current slug.
   */
  private async freeSlug(ext: ExternalOrganization, self: Organization | null): Promise<string> {
    const wanted = slugify(ext.slug || ext.name);
    const holder = await this.deps.orgs.findBySlug(wanted);
    if (!holder || holder.id === self?.id) return wanted;
    if (self) return self.slug;
    const derived = `${wanted}-${nameBasedUuid(`slug:${ext.externalId}`).slice(0, 8)}`;
    return (await this.deps.orgs.findBySlug(derived)) ? `${wanted}-${randomUUID().slice(0, 8)}` : derived;
  }

  /** Archives like billing's subscription-deleted path (data kept), and ends every session in the organization at once. */
  private async removeOrganizationStep(externalOrganizationId: string, at: Date | null, pending: PendingInvalidations): Promise<MirrorOutcome> {
    const link = await this.deps.links.findByExternal('organization', externalOrganizationId);
    if (!link) return 'unknown';
    if (link.deletedAt) return 'deleted';
    await this.deps.orgs.lock(link.localId);
    const org = await this.deps.orgs.findById(link.localId);
    if (!org) return 'unknown';
    const now = this.deps.clock.now();
    const from = org.status;
    if (from !== 'archived') {
      org.moveTo('archived', now);
      await this.deps.orgs.save(org);
      await this.deps.audit.record(
        { action: 'organization.updated', tenantId: org.id, targetType: 'organization', targetId: org.id, metadata: { ...MIRROR_SOURCE, fields: 'status', from, to: 'archived' } },
        MIRROR_META,
      );
    }
    for (const member of await this.deps.memberships.listByTenant(org.id)) {
      const ids = await this.deps.sessions.revokeAllForMembership(org.id, member.id, now, 'organization_archived');
      pending.push({ topic: 'user', id: member.userId }, ...ids.map((id) => ({ topic: 'session' as const, id })));
    }
    pending.push({ topic: 'tenant', id: org.id });
    await this.deps.links.save({ ...link, deletedAt: at ?? now, sourceUpdatedAt: latestProviderTime(link.sourceUpdatedAt, at) });
    return 'applied';
  }

  /** Runs `work` in one unit of work (retrying a lost race), then publishes what it collected. */
  private async committed<T>(work: (pending: PendingInvalidations) => Promise<T>, pending?: PendingInvalidations): Promise<T> {
    if (pending) return this.deps.uow.run(() => work(pending));
    for (let attempt = 1; ; attempt++) {
      const collected: PendingInvalidations = [];
      try {
        const result = await this.deps.uow.run(() => work(collected));
        await publishAll(this.deps.bus, collected);
        return result;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !lostMirrorRace(error)) throw error;
      }
    }
  }
}

/** Publishes each distinct invalidation once. */
export async function publishAll(bus: InvalidationBus, pending: PendingInvalidations): Promise<void> {
  const distinct = new Map(pending.map((m) => [`${m.topic}:${m.id}`, m]));
  await Promise.all([...distinct.values()].map((m) => bus.publish(m)));
}

function nameOf(ext: ExternalOrganization): string {
  return ext.name.trim() || ext.slug;
}
