import { mailboxProven } from '../../domain/tenancy/membership-grant.js';
import { effectivePermissions, type EffectivePermissions } from '../../domain/access/effective-permissions.js';
import type { OrganizationAccessView } from '../../domain/access/organization-access-view.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Membership } from '../../domain/tenancy/membership.js';
import type { Organization } from '../../domain/tenancy/organization.js';
import type { User } from '../../domain/tenancy/user.js';
import { EVERY_ID, type InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AccessViews } from '../services/access-views.js';
import type { OnboardingTracker } from '../services/onboarding-tracker.js';
import type { Principal } from '../services/request-meta.js';

/** The caller's profile and memberships, as `/api/v1/me` shows them. */
export interface Me {
  user: User;
  memberships: { membership: Membership; organization: Organization }[];
  current: { membership: Membership; organization: Organization } | null;
  /** What the caller may do in the current organization (from its access view, never cached here). */
  access: EffectivePermissions | null;
}

/** How long a cached profile may be served when no invalidation arrives (writers in other processes without a shared bus). */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 50_000;

/**
 * Reads and edits the caller's own profile. `/me` is the hottest authenticated read,
 * so profiles are cached per user and dropped when a `user` or `tenant` invalidation
 * is published (every write to users, memberships and organizations publishes one).
 */
export class GetMe {
  private readonly cache = new Map<string, { me: Me; at: number }>();
  private readonly permissions = new WeakMap<OrganizationAccessView, Map<string, EffectivePermissions | null>>();
  /** Bumped on every invalidation, so a read that raced a write is not cached. */
  private generation = 0;

  constructor(
    private readonly deps: {
      users: UserRepository;
      memberships: MembershipRepository;
      orgs: OrganizationRepository;
      views: AccessViews;
      bus: InvalidationBus;
      clock: Clock;
      /** Completes the `profile` onboarding step of the current organization when a name is saved (optional). */
      onboarding?: OnboardingTracker;
    },
  ) {
    deps.bus.subscribe((message) => {
      this.generation++;
      if (message.topic === 'user') {
        if (message.id === EVERY_ID) this.cache.clear();
        else this.cache.delete(message.id);
      }
      // Tenant changes (rename, status) touch every member's view; they are rare, so drop all.
      if (message.topic === 'tenant') this.cache.clear();
    });
  }

  async execute(principal: Principal): Promise<Me> {
    const now = this.deps.clock.now().getTime();
    const hit = this.cache.get(principal.userId);
    const me = hit && now - hit.at < MAX_AGE_MS ? hit.me : await this.load(principal.userId, now);
    const current = me.memberships.find((p) => p.organization.id === principal.tenantId && p.membership.isActive) ?? null;
    return { ...me, current, access: current ? await this.accessIn(current.membership) : null };
  }

  /** Effective permissions from the organization's access view, which has its own invalidation. */
  private async accessIn(membership: Membership): Promise<EffectivePermissions | null> {
    const { view } = await this.deps.views.get(membership.tenantId);
    // A view never changes (an invalidation replaces it), so its answers can be kept with it.
    let perMember = this.permissions.get(view);
    if (!perMember) this.permissions.set(view, (perMember = new Map()));
    if (!perMember.has(membership.id)) {
      const result = effectivePermissions(view, membership.id);
      perMember.set(membership.id, result.ok ? result.value : null);
    }
    return perMember.get(membership.id) ?? null;
  }

  private async load(userId: string, now: number): Promise<Me> {
    const generation = this.generation;
    const me = await this.read(userId);
    if (generation !== this.generation) return me;
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(userId, { me, at: now });
    return me;
  }

  private async read(userId: string): Promise<Me> {
    const [user, memberships] = await Promise.all([this.deps.users.findById(userId), this.deps.memberships.listByUser(userId)]);
    if (!user) throw new DomainError('AUTH_SESSION_REVOKED', 'This account no longer exists');
    const orgs = new Map((await this.deps.orgs.findManyByIds(memberships.map((m) => m.tenantId))).map((o) => [o.id, o]));
    const pairs = memberships.flatMap((membership) => {
      const organization = orgs.get(membership.tenantId);
      // An invitation is shown only once the mailbox it went to is proved (domain/tenancy/membership-grant.ts).
      return organization && (membership.isActive || mailboxProven(user)) ? [{ membership, organization }] : [];
    });
    return { user, memberships: pairs, current: null, access: null };
  }

  async rename(principal: Principal, name: string | null): Promise<Me> {
    const user = await this.deps.users.findById(principal.userId);
    if (!user) throw new DomainError('AUTH_SESSION_REVOKED', 'This account no longer exists');
    user.rename(name, this.deps.clock.now());
    await this.deps.users.save(user);
    if (user.name) await this.deps.onboarding?.stepDone(principal.tenantId, 'profile');
    await this.deps.bus.publish({ topic: 'user', id: user.id });
    return this.execute(principal);
  }
}
