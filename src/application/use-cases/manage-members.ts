import { randomUUID } from 'node:crypto';
import { SYSTEM_ROLE_PERMISSIONS } from '../../domain/access/system-role.js';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { assertAdminRemains } from '../../domain/tenancy/last-admin-rule.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import { Membership } from '../../domain/tenancy/membership.js';
import { ADDED_MEMBER_STATUS } from '../../domain/tenancy/membership-grant.js';
import { invitationMailable, mailInvitation } from '../services/invitation-mail.js';
import { withinLimit } from '../security/within-limit.js';
import { permissionsOfRoles } from '../../domain/tenancy/role-permissions.js';
import type { SystemRole } from '../../domain/tenancy/system-role.js';
import { User } from '../../domain/tenancy/user.js';
import type { CustomRoleRepository } from '../ports/custom-role-repository.port.js';
import type { ExternalMember, IdentityDirectory } from '../ports/identity-directory.port.js';
import type { IdentityLinkRepository } from '../ports/identity-link-repository.port.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { rateLimitKeys } from '../security/rate-limit-keys.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { EntitlementGuard } from '../services/entitlement-guard.js';
import type { OnboardingTracker } from '../services/onboarding-tracker.js';
import type { OrgContext } from '../services/org-context.js';
import { advanceLink, commitOrUndo, linkAddedMember, tombstoneMemberLink } from '../services/provider-first-write.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** A member as the API lists it. */
export interface MemberView {
  membership: Membership;
  user: User;
}

/** A change of a member's roles: the system role, the custom role keys, or both. */
export interface RoleChange {
  role?: SystemRole | undefined;
  customRoles?: readonly string[] | undefined;
}

/**
 * Listing, adding, re-roling and removing members. Adding needs `member:invite`, changing and
 * removing `member:manage` (admins), and nobody hands out, changes or removes more permissions
 * than they hold. Every change runs under the tenant's lock so "one admin remains" cannot be raced,
 * and publishes `access` so every process rebuilds the organization's access view.
 *
 * With an external identity provider each change goes to the provider first, after the checks
 * that can refuse it locally, and commits locally second: an addition whose local commit fails
 * is removed at the provider again, a role change is set back (services/provider-first-write.ts).
 */
export class ManageMembers {
  constructor(
    private readonly deps: {
      orgs: OrganizationRepository;
      users: UserRepository;
      memberships: MembershipRepository;
      customRoles: CustomRoleRepository;
      sessions: SessionRepository;
      identity: IdentityProvider;
      /** The identity provider's directory (does nothing with the built-in provider). */
      directory: IdentityDirectory;
      links: IdentityLinkRepository;
      context: OrgContext;
      uow: UnitOfWork;
      bus: InvalidationBus;
      audit: AuditRecorder;
      clock: Clock;
      entitlements: EntitlementGuard;
      /** Caps resent invitation mails per address. */
      limiter: RateLimiter;
      /** Completes the `invite_member` onboarding step (optional: absent in tests that do not care). */
      onboarding?: OnboardingTracker;
    },
  ) {}

  async list(principal: Principal, orgRef: string, meta: RequestMeta): Promise<MemberView[]> {
    const { org } = await this.deps.context.require(principal, orgRef, 'member:read', meta);
    const memberships = await this.deps.memberships.listByTenant(org.id);
    const users = new Map((await this.deps.users.findManyByIds(memberships.map((m) => m.userId))).map((u) => [u.id, u]));
    return memberships.flatMap((membership) => {
      const user = users.get(membership.userId);
      return user ? [{ membership, user }] : [];
    });
  }

  /**
   * Invites a person by email: the membership is `invited` whoever the address belongs to, and the answer is
   * the same (no name until they accept), so adding tells the admin nothing about the address. An unknown
   * email gets an invited account and an activation link; an account gets a sign-in link. The person accepts
   * by entering the organization after proving the mailbox (domain/tenancy/membership-grant.ts). It takes a
   * seat of the plan (ENTITLEMENT_EXCEEDED when none is left, docs/entitlements.md).
   */
  async add(principal: Principal, orgRef: string, input: { email: string; role: SystemRole }, meta: RequestMeta): Promise<MemberView> {
    const scope = await this.deps.context.require(principal, orgRef, 'member:invite', meta);
    const { org } = scope;
    await this.deps.context.assertHolds(scope, SYSTEM_ROLE_PERMISSIONS[input.role], 'member:invite', meta);
    const email = normalizeEmail(input.email);
    const provided = this.deps.directory.external ? await this.addAtProvider(org.id, email, input.role) : null;
    const commit = () => this.deps.uow.run(async () => {
      // The tenant lock before any write, so the seat count below holds until commit.
      await this.deps.orgs.lock(org.id);
      const now = this.deps.clock.now();
      let user = await this.deps.users.findByEmail(email);
      if (!user) {
        user = User.create({ id: randomUUID(), email, status: 'invited', now });
        await this.deps.users.save(user);
      }
      if (await this.deps.memberships.findByUser(org.id, user.id)) throw new DomainError('MEMBER_ALREADY_EXISTS', 'This person is already a member');
      await this.deps.entitlements.assertRoom(org.id, 'members');
      const membership = Membership.create({ id: randomUUID(), tenantId: org.id, userId: user.id, role: input.role, status: ADDED_MEMBER_STATUS, now });
      await this.deps.memberships.save(membership);
      if (provided) await linkAddedMember(this.deps.links, { tenantId: org.id, membershipId: membership.id }, provided);
      await this.deps.onboarding?.stepDone(org.id, 'invite_member');
      // Someone without an account yet gets an activation link, anyone else a sign-in link; either accepts the
      // invitation, and it commits with the membership. Mails to one address are capped, however many
      // organizations add it (or one adds and removes it again): beyond the cap the invitation stands without a
      // mail, and an admin can resend it later. Counted and recorded alike for every address, so the audit log
      // does not tell a disabled account apart.
      const withinCap = await withinLimit(this.deps.limiter, 'activation_resend_account', rateLimitKeys.account(email));
      if (withinCap && invitationMailable(this.deps.identity, user)) {
        const inviter = await this.deps.users.findById(principal.userId);
        await mailInvitation(this.deps.identity, user, org.id, { role: input.role, ...(inviter ? { inviterName: inviter.name ?? inviter.email } : {}) });
      }
      await this.deps.audit.record(
        { action: 'member.added', tenantId: org.id, actorUserId: principal.userId, targetType: 'membership', targetId: membership.id, metadata: { role: input.role, userId: user.id, ...(withinCap ? {} : { mailCapped: true }) } },
        meta,
      );
      return { membership, user };
    });
    const view = await commitOrUndo(commit, provided && (() => this.deps.directory.discardMember(provided)));
    await this.deps.bus.publish({ topic: 'user', id: view.user.id });
    await this.deps.bus.publish({ topic: 'access', id: org.id });
    return view;
  }

  /**
   * Adds the person at the provider after the checks that can refuse locally (already a member,
   * no seat left), so a refused addition never reaches the provider — and never sends its
   * invitation email. The same checks run again under the tenant lock when committing.
   */
  private async addAtProvider(tenantId: string, email: string, role: SystemRole): Promise<ExternalMember | null> {
    const user = await this.deps.users.findByEmail(email);
    if (user && (await this.deps.memberships.findByUser(tenantId, user.id))) throw new DomainError('MEMBER_ALREADY_EXISTS', 'This person is already a member');
    await this.deps.uow.run(() => this.deps.entitlements.assertRoom(tenantId, 'members'));
    // An invitation at the provider too: it mails its own, and the member joins by accepting it.
    return this.deps.directory.addMember(tenantId, { email, name: user?.name ?? null, role, invite: true });
  }

  /**
   * Changes a member's system role and/or custom roles (keys of the organization's roles). The
   * caller must hold every permission the member holds now (nobody demotes someone stronger) and
   * every one the member would hold afterwards (nobody hands out more than they hold).
   */
  async changeRole(principal: Principal, orgRef: string, memberId: string, change: RoleChange, meta: RequestMeta): Promise<Membership> {
    const scope = await this.deps.context.require(principal, orgRef, 'member:manage', meta);
    const { org } = scope;
    const current = await this.deps.memberships.findById(org.id, memberId);
    if (!current) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
    const roles = await this.deps.customRoles.list(org.id);
    const role = change.role ?? current.role;
    const customRoles = [...new Set(change.customRoles ?? current.customRoles)];
    const after = permissionsOfRoles(role, customRoles, roles);
    await this.deps.context.assertHolds(scope, permissionsOfRoles(current.role, current.customRoles, roles), 'member:manage', meta);
    await this.deps.context.assertHolds(scope, after, 'member:manage', meta);
    const atProvider = this.deps.directory.external && change.role !== undefined && change.role !== current.role;
    if (atProvider) assertAdminRemains(await this.deps.memberships.listByTenant(org.id), { memberId, newRole: role });
    const provided = atProvider ? await this.deps.directory.changeMemberRole(org.id, memberId, role) : null;
    const commit = () => this.deps.uow.run(async () => {
      await this.deps.orgs.lock(org.id);
      const members = await this.deps.memberships.listByTenant(org.id);
      const target = members.find((m) => m.id === memberId);
      if (!target) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
      // The checks above saw `current`; a change made since must be checked again by the caller.
      if (target.version !== current.version) throw new DomainError('CONCURRENT_MODIFICATION', 'The member was changed by someone else; reload and retry');
      assertAdminRemains(members, { memberId, newRole: role });
      // Roles change under the same lock: the ones checked above must still mean the same.
      if (permissionsOfRoles(role, customRoles, await this.deps.customRoles.list(org.id)).join() !== after.join()) {
        throw new DomainError('CONCURRENT_MODIFICATION', 'A role was changed meanwhile; reload and retry');
      }
      const previous = { role: target.role, customRoles: target.customRoles };
      const now = this.deps.clock.now();
      if (change.role !== undefined) target.changeRole(role, now);
      if (change.customRoles !== undefined) target.assignCustomRoles(customRoles, now);
      await this.deps.memberships.save(target);
      if (provided) await advanceLink(this.deps.links, 'member', target.id, provided.updatedAt);
      if (change.role !== undefined) {
        await this.deps.audit.record(
          { action: 'member.role_changed', tenantId: org.id, actorUserId: principal.userId, targetType: 'membership', targetId: target.id, metadata: { from: previous.role, to: role } },
          meta,
        );
      }
      if (change.customRoles !== undefined && previous.customRoles.join(',') !== customRoles.join(',')) {
        await this.deps.audit.record(
          {
            action: 'member.custom_roles_changed',
            tenantId: org.id,
            actorUserId: principal.userId,
            targetType: 'membership',
            targetId: target.id,
            metadata: { from: previous.customRoles.join(','), to: customRoles.join(',') },
          },
          meta,
        );
      }
      return target;
    });
    const membership = await commitOrUndo(commit, provided && (() => this.deps.directory.changeMemberRole(org.id, memberId, current.role)));
    await this.deps.bus.publish({ topic: 'user', id: membership.userId });
    await this.deps.bus.publish({ topic: 'access', id: org.id });
    return membership;
  }

  /**
   * Mails a pending invitation again (`member:invite`): an account without a password yet gets a fresh
   * activation link (the older one stops working), any other a fresh invitation link. At most three per
   * hour per address, whoever asks (`activation_resend_account`). INVITATION_NOT_PENDING once accepted.
   * Stytch sends and resends its own invitations: IDENTITY_CAPABILITY_UNSUPPORTED there.
   */
  async resendInvitation(principal: Principal, orgRef: string, memberId: string, meta: RequestMeta): Promise<void> {
    const { org } = await this.deps.context.require(principal, orgRef, 'member:invite', meta);
    const membership = await this.deps.memberships.findById(org.id, memberId);
    const user = membership ? await this.deps.users.findById(membership.userId) : null;
    if (!membership || !user) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
    if (membership.isActive) throw new DomainError('INVITATION_NOT_PENDING', 'This member has already accepted the invitation');
    if (!this.deps.identity.supports('activation')) throw new DomainError('IDENTITY_CAPABILITY_UNSUPPORTED', 'The identity provider sends and resends its own invitations');
    await this.deps.limiter.consume('activation_resend_account', rateLimitKeys.account(user.email));
    const inviter = await this.deps.users.findById(principal.userId);
    await this.deps.uow.run(async () => {
      // A disabled account is answered like any other and mailed nothing: the answer must not tell it apart.
      await mailInvitation(this.deps.identity, user, org.id, { role: membership.role, ...(inviter ? { inviterName: inviter.name ?? inviter.email } : {}) });
      await this.deps.audit.record(
        { action: 'member.invitation_resent', tenantId: org.id, actorUserId: principal.userId, targetType: 'membership', targetId: membership.id, metadata: { userId: user.id } },
        meta,
      );
    });
  }

  /**
   * Removes a member (and, by cascade, their grants) and ends their sessions in this organization.
   * `invitationOnly`: revoking an invitation, which refuses (INVITATION_NOT_PENDING) a member who accepted it.
   */
  async remove(principal: Principal, orgRef: string, memberId: string, meta: RequestMeta, options: { invitationOnly?: boolean } = {}): Promise<void> {
    const scope = await this.deps.context.require(principal, orgRef, 'member:manage', meta);
    const { org } = scope;
    const current = await this.deps.memberships.findById(org.id, memberId);
    if (!current) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
    // Accepting it meanwhile changes the membership's version: the check under the lock below refuses then.
    if (options.invitationOnly && current.isActive) throw new DomainError('INVITATION_NOT_PENDING', 'This member has already accepted the invitation; remove the member instead');
    const held = permissionsOfRoles(current.role, current.customRoles, await this.deps.customRoles.list(org.id));
    await this.deps.context.assertHolds(scope, held, 'member:manage', meta);
    if (this.deps.directory.external) {
      assertAdminRemains(await this.deps.memberships.listByTenant(org.id), { memberId, newRole: null });
      // Not undone when the local commit fails (a Stytch member cannot be re-created with its id): the
      // provider's member.delete webhook, or a retry (gone at the provider counts as removed), finishes it.
      await this.deps.directory.removeMember(org.id, memberId);
    }
    const { removed, sessionIds } = await this.deps.uow.run(async () => {
      await this.deps.orgs.lock(org.id);
      const members = await this.deps.memberships.listByTenant(org.id);
      const target = members.find((m) => m.id === memberId);
      if (!target) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
      if (target.version !== current.version) throw new DomainError('CONCURRENT_MODIFICATION', 'The member was changed by someone else; reload and retry');
      assertAdminRemains(members, { memberId, newRole: null });
      // Sessions first: deleting the membership detaches them (membership_id SET NULL).
      const sessionIds = await this.deps.sessions.revokeAllForMembership(org.id, target.id, this.deps.clock.now(), 'member_removed');
      await this.deps.memberships.delete(org.id, target.id);
      if (this.deps.directory.external) await tombstoneMemberLink(this.deps.links, target.id, this.deps.clock.now());
      await this.deps.audit.record(
        {
          action: options.invitationOnly ? 'member.invitation_revoked' : 'member.removed',
          tenantId: org.id,
          actorUserId: principal.userId,
          targetType: 'membership',
          targetId: target.id,
          metadata: { userId: target.userId },
        },
        meta,
      );
      return { removed: target, sessionIds };
    });
    await Promise.all([
      this.deps.bus.publish({ topic: 'user', id: removed.userId }),
      this.deps.bus.publish({ topic: 'access', id: org.id }),
      ...sessionIds.map((id) => this.deps.bus.publish({ topic: 'session', id })),
    ]);
  }
}
