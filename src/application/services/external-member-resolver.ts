import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { ExternalSessionClaims, ExternalSessionVerifier } from '../ports/external-session-verifier.port.js';
import type { ExternalMember, ExternalOrganization } from '../ports/identity-directory.port.js';
import type { IdentityLink, IdentityLinkRepository } from '../ports/identity-link-repository.port.js';
import { EVERY_ID, type InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import { rolesOf } from './session-issuer.js';

/** The local member behind an external session: who they are here and what they hold. */
export interface ResolvedMember {
  userId: string;
  tenantId: string;
  membershipId: string;
  /** The system role first, then custom roles (as in Gatehouse tokens); frozen, shared between requests. */
  roles: readonly string[];
}

/** What the resolver needs of the identity mirror: bring one member (and its organization) into the local store. */
export interface MemberMirror {
  syncMember(member: ExternalMember, organization?: ExternalOrganization): Promise<unknown>;
}

interface Entry {
  member: ResolvedMember;
  /** Re-read after this instant even without an invalidation (a lost message cannot keep a removed member in). */
  staleAt: number;
}

const MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 50_000;

/**
 * Finds the local membership of the provider's member named in a verified external session
 * (link → membership → user and tenant). A member the mirror has never seen is synced just in
 * time from the provider (concurrent first requests share one sync); a member the mirror knows
 * as removed (tombstoned link, no active membership) or whose organization was deleted is refused
 * with AUTH_SESSION_REVOKED and is never re-created from a session token: only the provider's
 * directory or webhooks do that.
 *
 * Answers are cached per member, because this runs on every request made with a provider token;
 * an `access` or `tenant` invalidation of the member's organization (every membership change and
 * every mirror write publishes one) drops them at once, and none lives longer than 30 s. While
 * the bus says other processes' messages are not arriving, nothing is cached.
 */
export class ExternalMemberResolver {
  private readonly entries = new Map<string, Entry>();
  /** Cache keys per `tenant:<id>` and `user:<id>`, so an invalidation drops its entries without a scan. */
  private readonly keysOf = new Map<string, Set<string>>();
  private readonly syncing = new Map<string, Promise<void>>();
  /** Bumped on every relevant invalidation, so a read that raced a write is not cached. */
  private generation = 0;

  constructor(
    private readonly deps: {
      links: IdentityLinkRepository;
      memberships: MembershipRepository;
      provider: Pick<ExternalSessionVerifier, 'fetchMember'>;
      mirror: MemberMirror;
      bus: InvalidationBus;
      clock: Clock;
    },
  ) {
    deps.bus.subscribe((message) => {
      if (message.topic !== 'access' && message.topic !== 'tenant' && message.topic !== 'user') return;
      this.generation++;
      if (message.id === EVERY_ID) return this.clear();
      const scope = `${message.topic === 'user' ? 'user' : 'tenant'}:${message.id}`;
      for (const key of this.keysOf.get(scope) ?? []) this.entries.delete(key);
      this.keysOf.delete(scope);
    });
  }

  async resolve(claims: ExternalSessionClaims): Promise<ResolvedMember> {
    const now = this.deps.clock.now().getTime();
    // Keyed by organization too: the organization check below was made for this pair.
    const key = `${claims.externalOrganizationId}/${claims.externalMemberId}`;
    const hit = this.entries.get(key);
    if (hit && now < hit.staleAt) return hit.member;
    const generation = this.generation;
    const member = await this.read(claims);
    if (generation === this.generation && this.deps.bus.connected?.() !== false) {
      if (this.entries.size >= MAX_ENTRIES) this.clear();
      this.entries.set(key, { member, staleAt: now + MAX_AGE_MS });
      for (const scope of [`tenant:${member.tenantId}`, `user:${member.userId}`]) {
        let keys = this.keysOf.get(scope);
        if (!keys) this.keysOf.set(scope, (keys = new Set()));
        keys.add(key);
      }
    }
    return member;
  }

  private clear(): void {
    this.entries.clear();
    this.keysOf.clear();
  }

  private async read(claims: ExternalSessionClaims): Promise<ResolvedMember> {
    let [link, org] = await this.links(claims);
    if (!link && org?.deletedAt == null) {
      await this.syncOnce(claims);
      [link, org] = await this.links(claims);
    }
    // Removed member, deleted organization (its sessions ended too), or a member of another organization than the token's.
    if (!link || link.deletedAt !== null || !org || org.deletedAt !== null || org.localId !== link.tenantId) throw revoked();
    const membership = await this.deps.memberships.findById(link.tenantId, link.localId);
    if (!membership?.isActive) throw revoked();
    return Object.freeze({ userId: membership.userId, tenantId: membership.tenantId, membershipId: membership.id, roles: Object.freeze(rolesOf(membership)) });
  }

  private links(claims: ExternalSessionClaims): Promise<[IdentityLink | null, IdentityLink | null]> {
    return Promise.all([this.deps.links.findByExternal('member', claims.externalMemberId), this.deps.links.findByExternal('organization', claims.externalOrganizationId)]);
  }

  /** Fetches the member from the provider and mirrors it; concurrent first requests of one member share the work. */
  private syncOnce(claims: ExternalSessionClaims): Promise<void> {
    const pending = this.syncing.get(claims.externalMemberId);
    if (pending) return pending;
    const sync = (async () => {
      const { member, organization } = await this.deps.provider.fetchMember(claims.externalOrganizationId, claims.externalMemberId);
      // A token of one organization must not mirror a member of another.
      if (member.externalId !== claims.externalMemberId || member.externalOrganizationId !== claims.externalOrganizationId) throw revoked();
      if (member.status !== 'active') throw revoked();
      try {
        await this.deps.mirror.syncMember(member, organization);
      } catch (error) {
        // The mirror refuses what it knows to be gone (an organization deleted meanwhile): the session is over.
        if (isDomainError(error, 'TENANT_NOT_FOUND') || isDomainError(error, 'MEMBER_NOT_FOUND')) throw revoked();
        throw error;
      }
    })().finally(() => this.syncing.delete(claims.externalMemberId));
    this.syncing.set(claims.externalMemberId, sync);
    return sync;
  }
}

function revoked(): DomainError {
  return new DomainError('AUTH_SESSION_REVOKED', 'This session has ended; sign in again');
}
