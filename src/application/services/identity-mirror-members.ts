import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import { Membership } from '../../domain/tenancy/membership.js';
import type { Organization } from '../../domain/tenancy/organization.js';
import { isOlderProviderState, latestProviderTime, revivesDeleted } from '../../domain/tenancy/provider-state-order.js';
import { User } from '../../domain/tenancy/user.js';
import type { ExternalMember } from '../ports/identity-directory.port.js';
import type { IdentityLink, IdentityLinkRepository } from '../ports/identity-link-repository.port.js';
import type { Invalidation, InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { nameBasedUuid } from '../security/name-based-uuid.js';
import type { AuditRecorder } from './audit-recorder.js';

/** What the identity mirror works with. */
export interface IdentityMirrorDeps {
  orgs: OrganizationRepository;
  users: UserRepository;
  memberships: MembershipRepository;
  sessions: SessionRepository;
  links: IdentityLinkRepository;
  uow: UnitOfWork;
  bus: InvalidationBus;
  audit: AuditRecorder;
  clock: Clock;
}

/** What applying one provider state did: `stale` and `deleted` changed nothing (older than, or after, what is applied). */
export type MirrorOutcome = 'applied' | 'stale' | 'deleted' | 'unknown' | 'ignored';

/** Invalidations collected in a unit of work, published once it committed. */
export type PendingInvalidations = Invalidation[];

/** What applying a member's state did, and what the mirror holds for the member afterwards. */
export interface MemberStep {
  outcome: Exclude<MirrorOutcome, 'ignored'>;
  mirrored: { user: User | null; organization: Organization; membership: Membership | null } | null;
}

/** Writes of the mirror have no request of a person; the audit log still wants an origin. */
export const MIRROR_META = { ip: null, userAgent: 'identity-provider' } as const;
/** Audit metadata of every change the mirror makes. */
export const MIRROR_SOURCE = { source: 'identity_provider' } as const;

/** The link unless it is a tombstone. */
export function liveLink(link: IdentityLink | null): IdentityLink | null {
  return link && !link.deletedAt ? link : null;
}

/**
 * The member half of the identity mirror (see IdentityMirror for the rules): users by email,
 * memberships by link, roles, removals. Runs inside the caller's unit of work, under the tenant's lock.
 */
export class MirrorMembers {
  constructor(private readonly deps: IdentityMirrorDeps) {}

  /** Applies a member's state in its (already resolved) organization; `org` null: the organization is unknown or deleted. */
  async upsert(ext: ExternalMember, org: Organization | null, pending: PendingInvalidations): Promise<MemberStep> {
    if (!org) return { outcome: 'unknown', mirrored: null };
    // The tenant's lock: membership changes of one organization take turns (as in ManageMembers).
    await this.deps.orgs.lock(org.id);
    const link = await this.deps.links.findByExternal('member', ext.externalId);
    if (link && isOlderProviderState(link.sourceUpdatedAt, ext.updatedAt)) return { outcome: 'stale', mirrored: await this.current(org, link, ext) };
    if (link?.deletedAt && !revivesDeleted(link.deletedAt, ext.updatedAt)) return { outcome: 'deleted', mirrored: await this.current(org, link, ext) };
    const linked = link && !link.deletedAt ? await this.deps.memberships.findById(org.id, link.localId) : null;
    // A linked membership keeps its user: an email changed at the provider never moves a membership to another account.
    const user = linked ? await this.deps.users.findById(linked.userId) : await this.userFor(ext, pending);
    const membership = linked ?? (user ? await this.adoptable(org, user, ext) : null);
    const sourceUpdatedAt = latestProviderTime(link?.sourceUpdatedAt ?? null, ext.updatedAt);
    // Deleted or locked out at the provider: removed as by a deletion, tombstoned at this state's time, so that
    // only a later state (an unlock, a reactivation) brings the member back — with a fresh membership.
    if (ext.status === 'removed') {
      if (membership) await this.drop(org, membership, pending);
      const now = this.deps.clock.now();
      const localId = membership?.id ?? link?.localId ?? nameBasedUuid(`member:${ext.externalId}`);
      await this.deps.links.save({ kind: 'member', externalId: ext.externalId, localId, tenantId: org.id, sourceUpdatedAt, deletedAt: ext.updatedAt ?? now });
      return { outcome: 'applied', mirrored: { user, organization: org, membership: null } };
    }
    if (!user) throw new DomainError('USER_NOT_FOUND', 'User not found');
    const saved = membership ? await this.updateMembership(org, membership, ext, pending) : await this.createMembership(org, user, ext, pending);
    await this.deps.links.save({ kind: 'member', externalId: ext.externalId, localId: saved.id, tenantId: org.id, sourceUpdatedAt, deletedAt: null });
    return { outcome: 'applied', mirrored: { user, organization: org, membership: saved } };
  }

  /** What the mirror holds for a member whose delivery changes nothing. */
  private async current(org: Organization, link: IdentityLink, ext: ExternalMember): Promise<MemberStep['mirrored']> {
    const membership = link.deletedAt ? null : await this.deps.memberships.findById(org.id, link.localId);
    const user = membership ? await this.deps.users.findById(membership.userId) : await this.deps.users.findByEmail(normalizeEmail(ext.email));
    return { user, organization: org, membership };
  }

  /** The user of this email, created (active, no password) or brought up to date with the provider. */
  private async userFor(ext: ExternalMember, pending: PendingInvalidations): Promise<User | null> {
    const email = normalizeEmail(ext.email);
    const now = this.deps.clock.now();
    const user = await this.deps.users.findByEmail(email);
    if (!user) {
      if (ext.status === 'removed') return null;
      const created = User.create({ id: randomUUID(), email, name: ext.name, status: 'active', now });
      if (ext.emailVerified) created.emailVerifiedAt = now;
      await this.deps.users.save(created);
      return created;
    }
    const verify = ext.emailVerified && !user.emailVerifiedAt;
    // Invited by Gatehouse, accepted at the provider: the provider holds the credentials now.
    const activate = user.status === 'invited' && ext.status === 'active';
    const name = !user.name && ext.name.trim() !== '';
    if (verify) user.emailVerifiedAt = now;
    if (activate) user.status = 'active';
    if (name) user.rename(ext.name, now);
    if (verify || activate || name) {
      user.updatedAt = now;
      await this.deps.users.save(user);
      pending.push({ topic: 'user', id: user.id });
    }
    return user;
  }

  /** The user's membership in the organization, unless it is linked to another provider member. */
  private async adoptable(org: Organization, user: User, ext: ExternalMember): Promise<Membership | null> {
    const membership = await this.deps.memberships.findByUser(org.id, user.id);
    if (!membership) return null;
    const holder = liveLink(await this.deps.links.findByLocal('member', membership.id));
    // Another provider member (say, one deleted whose deletion has not arrived yet): retried later.
    if (holder && holder.externalId !== ext.externalId) throw new DomainError('CONCURRENT_MODIFICATION', 'The membership is linked to another provider member; retry later');
    return membership;
  }

  private async createMembership(org: Organization, user: User, ext: ExternalMember, pending: PendingInvalidations): Promise<Membership> {
    const membership = Membership.create({
      id: nameBasedUuid(`member:${ext.externalId}`),
      tenantId: org.id,
      userId: user.id,
      role: ext.role,
      status: ext.status === 'invited' ? 'invited' : 'active',
      now: this.deps.clock.now(),
    });
    await this.deps.memberships.save(membership);
    await this.deps.audit.record(
      { action: 'member.added', tenantId: org.id, targetType: 'membership', targetId: membership.id, metadata: { ...MIRROR_SOURCE, role: ext.role, userId: user.id } },
      MIRROR_META,
    );
    pending.push({ topic: 'user', id: user.id }, { topic: 'access', id: org.id });
    return membership;
  }

  private async updateMembership(org: Organization, membership: Membership, ext: ExternalMember, pending: PendingInvalidations): Promise<Membership> {
    const now = this.deps.clock.now();
    const from = membership.role;
    const roleChanged = from !== ext.role;
    const activated = ext.status === 'active' && membership.status === 'invited';
    if (!roleChanged && !activated) return membership;
    if (roleChanged) membership.changeRole(ext.role, now);
    if (activated) membership.activate(now);
    await this.deps.memberships.save(membership);
    if (roleChanged) {
      await this.deps.audit.record(
        { action: 'member.role_changed', tenantId: org.id, targetType: 'membership', targetId: membership.id, metadata: { ...MIRROR_SOURCE, from, to: ext.role } },
        MIRROR_META,
      );
    }
    // Role changes take effect on the next request: every process rebuilds the organization's access view.
    pending.push({ topic: 'user', id: membership.userId }, { topic: 'access', id: org.id });
    return membership;
  }

  /** Removes a membership as ManageMembers does: sessions first (the delete detaches them), grants by cascade, audited. */
  private async drop(org: Organization, membership: Membership, pending: PendingInvalidations): Promise<void> {
    const others = (await this.deps.memberships.listByTenant(org.id)).filter((m) => m.id !== membership.id);
    const lastAdmin = membership.role === 'admin' && !others.some((m) => m.role === 'admin' && m.isActive);
    const sessionIds = await this.deps.sessions.revokeAllForMembership(org.id, membership.id, this.deps.clock.now(), 'member_removed');
    await this.deps.memberships.delete(org.id, membership.id);
    await this.deps.audit.record(
      { action: 'member.removed', tenantId: org.id, targetType: 'membership', targetId: membership.id, metadata: { ...MIRROR_SOURCE, userId: membership.userId, lastAdmin } },
      MIRROR_META,
    );
    pending.push({ topic: 'user', id: membership.userId }, { topic: 'access', id: org.id }, ...sessionIds.map((id) => ({ topic: 'session' as const, id })));
  }

  /**
   * A provider deletion always applies, even when it looks older than the state applied (a member
   * deleted, reactivated, and the deletion delivered last): when in doubt, access ends. A later
   * state, or the next sign-in's sync, brings a reactivated member back.
   */
  async remove(externalMemberId: string, at: Date | null, pending: PendingInvalidations): Promise<MirrorOutcome> {
    const link = await this.deps.links.findByExternal('member', externalMemberId);
    if (!link) return 'unknown';
    if (link.deletedAt) return 'deleted';
    const org = await this.deps.orgs.findById(link.tenantId);
    if (!org) return 'unknown';
    await this.deps.orgs.lock(org.id);
    const membership = await this.deps.memberships.findById(org.id, link.localId);
    if (membership) await this.drop(org, membership, pending);
    const stamp = at ?? this.deps.clock.now();
    await this.deps.links.save({ ...link, deletedAt: stamp, sourceUpdatedAt: latestProviderTime(link.sourceUpdatedAt, stamp) });
    return 'applied';
  }
}
