import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { assertAdminRemains } from '../../domain/tenancy/last-admin-rule.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import { Membership } from '../../domain/tenancy/membership.js';
import type { SystemRole } from '../../domain/tenancy/system-role.js';
import { User } from '../../domain/tenancy/user.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** A member as the API lists it. */
export interface MemberView {
  membership: Membership;
  user: User;
}

/**
 * Listing, adding, re-roling and removing members. Only admins change members;
 * every change runs under the tenant's lock so "one admin remains" cannot be raced.
 */
export class ManageMembers {
  constructor(
    private readonly deps: {
      orgs: OrganizationRepository;
      users: UserRepository;
      memberships: MembershipRepository;
      sessions: SessionRepository;
      identity: IdentityProvider;
      context: OrgContext;
      uow: UnitOfWork;
      bus: InvalidationBus;
      audit: AuditRecorder;
      clock: Clock;
    },
  ) {}

  async list(principal: Principal, orgRef: string): Promise<MemberView[]> {
    const { org } = await this.deps.context.resolve(principal, orgRef);
    const memberships = await this.deps.memberships.listByTenant(org.id);
    const users = new Map((await this.deps.users.findManyByIds(memberships.map((m) => m.userId))).map((u) => [u.id, u]));
    return memberships.flatMap((membership) => {
      const user = users.get(membership.userId);
      return user ? [{ membership, user }] : [];
    });
  }

  /**
   * Adds a person by email. An existing active account joins at once; an unknown
   * email gets an invited account and an invited membership, activated later.
   */
  async add(principal: Principal, orgRef: string, input: { email: string; role: SystemRole }, meta: RequestMeta): Promise<MemberView> {
    const { org } = await this.deps.context.require(principal, orgRef, 'admin', 'member:invite', meta);
    const email = normalizeEmail(input.email);
    const view = await this.deps.uow.run(async () => {
      const now = this.deps.clock.now();
      let user = await this.deps.users.findByEmail(email);
      if (!user) {
        user = User.create({ id: randomUUID(), email, status: 'invited', now });
        await this.deps.users.save(user);
      }
      if (await this.deps.memberships.findByUser(org.id, user.id)) throw new DomainError('MEMBER_ALREADY_EXISTS', 'This person is already a member');
      const membership = Membership.create({ id: randomUUID(), tenantId: org.id, userId: user.id, role: input.role, status: user.canSignIn ? 'active' : 'invited', now });
      await this.deps.memberships.save(membership);
      // Someone without an account yet gets an activation link; it commits with the membership.
      if (!user.canSignIn && this.deps.identity.supports('activation')) await this.deps.identity.startActivation(user.id, org.id);
      await this.deps.audit.record(
        { action: 'member.added', tenantId: org.id, actorUserId: principal.userId, targetType: 'membership', targetId: membership.id, metadata: { role: input.role, userId: user.id } },
        meta,
      );
      return { membership, user };
    });
    await this.deps.bus.publish({ topic: 'user', id: view.user.id });
    return view;
  }

  async changeRole(principal: Principal, orgRef: string, memberId: string, role: SystemRole, meta: RequestMeta): Promise<Membership> {
    const { org } = await this.deps.context.require(principal, orgRef, 'admin', 'member:manage', meta);
    const membership = await this.deps.uow.run(async () => {
      await this.deps.orgs.lock(org.id);
      const members = await this.deps.memberships.listByTenant(org.id);
      const target = members.find((m) => m.id === memberId);
      if (!target) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
      assertAdminRemains(members, { memberId, newRole: role });
      const previous = target.role;
      target.changeRole(role, this.deps.clock.now());
      await this.deps.memberships.save(target);
      await this.deps.audit.record(
        { action: 'member.role_changed', tenantId: org.id, actorUserId: principal.userId, targetType: 'membership', targetId: target.id, metadata: { from: previous, to: role } },
        meta,
      );
      return target;
    });
    await this.deps.bus.publish({ topic: 'user', id: membership.userId });
    return membership;
  }

  /** Removes a member and ends their sessions in this organization. */
  async remove(principal: Principal, orgRef: string, memberId: string, meta: RequestMeta): Promise<void> {
    const { org } = await this.deps.context.require(principal, orgRef, 'admin', 'member:manage', meta);
    const { removed, sessionIds } = await this.deps.uow.run(async () => {
      await this.deps.orgs.lock(org.id);
      const members = await this.deps.memberships.listByTenant(org.id);
      const target = members.find((m) => m.id === memberId);
      if (!target) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
      assertAdminRemains(members, { memberId, newRole: null });
      // Sessions first: deleting the membership detaches them (membership_id SET NULL).
      const sessionIds = await this.deps.sessions.revokeAllForMembership(org.id, target.id, this.deps.clock.now(), 'member_removed');
      await this.deps.memberships.delete(org.id, target.id);
      await this.deps.audit.record(
        { action: 'member.removed', tenantId: org.id, actorUserId: principal.userId, targetType: 'membership', targetId: target.id, metadata: { userId: target.userId } },
        meta,
      );
      return { removed: target, sessionIds };
    });
    await Promise.all([
      this.deps.bus.publish({ topic: 'user', id: removed.userId }),
      ...sessionIds.map((id) => this.deps.bus.publish({ topic: 'session', id })),
    ]);
  }
}
