import { buildOrganizationAccessView } from '../../domain/access/build-organization-access-view.js';
import { validateCustomRole } from '../../domain/access/custom-role.js';
import type { CustomRole } from '../../domain/access/custom-role.js';
import type { OrganizationAccessView } from '../../domain/access/organization-access-view.js';
import type { AccessSnapshotReader } from '../ports/access-snapshot-reader.port.js';
import type { EntityRepository } from '../ports/entity-repository.port.js';
import { EVERY_ID, type InvalidationBus } from '../ports/invalidation-bus.port.js';

/** One organization's compiled access view, with what it was built from. */
export interface OrganizationAccess {
  readonly tenantId: string;
  readonly view: OrganizationAccessView;
  /** Version of every membership the view was built from: a membership read later with another version is newer (or older) than the view. */
  readonly memberVersions: ReadonlyMap<string, number>;
}

/** Size limits of the cache. */
export interface AccessViewsOptions {
  /** Organizations whose views are kept; the oldest entry goes first. Default 10,000 (~5 KiB each for 20 members × 50 entities). */
  maxOrganizations?: number;
  /** Entity ids per organization remembered as "belongs to it" (for the decision API). Default 10,000. */
  maxEntitiesPerOrganization?: number;
}

interface Entry {
  readonly access: OrganizationAccess;
  /** Entity ids known to belong to the organization; dropped with the entry. */
  readonly entities: Set<string>;
}

/**
 * The per-organization cache of access views behind every authorization decision.
 *
 * A view is built lazily from ONE consistent read of the organization's memberships, custom roles
 * and grants, and kept until an `access` (or `tenant`) invalidation for that organization arrives
 * on the bus; there is no TTL. Every invalidation bumps the organization's generation: a build that
 * started before it is handed to its waiting callers but never stored, so a rebuild racing a change
 * cannot put the old data back. While the bus says messages from other processes are not arriving
 * (`connected() === false`), nothing is cached and every call reads the store.
 */
export class AccessViews {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<OrganizationAccess>>();
  private readonly generations = new Map<string, number>();
  /** Bumped by `invalidateAll`, which invalidates organizations this process has not seen yet too. */
  private epoch = 0;
  private readonly maxOrganizations: number;
  private readonly maxEntities: number;
  /** How many views were built (tests and metrics). */
  builds = 0;

  constructor(
    private readonly deps: { snapshots: AccessSnapshotReader; entities: EntityRepository; bus: InvalidationBus },
    options: AccessViewsOptions = {},
  ) {
    this.maxOrganizations = options.maxOrganizations ?? 10_000;
    this.maxEntities = options.maxEntitiesPerOrganization ?? 10_000;
    deps.bus.subscribe((message) => {
      if (message.topic !== 'access' && message.topic !== 'tenant') return;
      if (message.id === EVERY_ID) this.invalidateAll();
      else this.invalidate(message.id);
    });
  }

  /** The organization's access view, built on a miss. Concurrent misses share one build. */
  get(tenantId: string): Promise<OrganizationAccess> {
    const hit = this.entries.get(tenantId);
    if (hit) return Promise.resolve(hit.access);
    const pending = this.loading.get(tenantId);
    if (pending) return pending;
    const generation = this.generationOf(tenantId);
    const epoch = this.epoch;
    const load: Promise<OrganizationAccess> = this.build(tenantId).then(
      (access) => {
        if (this.loading.get(tenantId) === load) this.loading.delete(tenantId);
        // Discard a build that raced an invalidation: it may predate the change.
        if (generation === this.generationOf(tenantId) && epoch === this.epoch && this.caching()) this.store(tenantId, access);
        return access;
      },
      (error: unknown) => {
        if (this.loading.get(tenantId) === load) this.loading.delete(tenantId);
        throw error;
      },
    );
    if (this.caching()) this.loading.set(tenantId, load);
    return load;
  }

  /**
   * The view, never built from another version of this membership than the one the caller just
   * read: a safety net for membership writers that did not publish (another process without a
   * shared bus, an operator's SQL). On a mismatch the view is rebuilt once.
   */
  async forMember(tenantId: string, membershipId: string, version: number): Promise<OrganizationAccess> {
    const access = await this.get(tenantId);
    if (access.memberVersions.get(membershipId) === version) return access;
    this.invalidate(tenantId);
    return this.get(tenantId);
  }

  /**
   * Whether the entity belongs to the organization. The view does not know its entities, so every
   * decision on an entity must ask this first. Positive answers are remembered with the view (an
   * entity never changes organization; its deletion publishes `access`).
   */
  async ownsEntity(tenantId: string, entityId: string): Promise<boolean> {
    if (this.entries.get(tenantId)?.entities.has(entityId)) return true;
    const generation = this.generationOf(tenantId);
    const epoch = this.epoch;
    const found = (await this.deps.entities.findById(tenantId, entityId)) !== null;
    const entry = this.entries.get(tenantId);
    const current = generation === this.generationOf(tenantId) && epoch === this.epoch;
    if (found && entry && current && entry.entities.size < this.maxEntities) entry.entities.add(entityId);
    return found;
  }

  /** Drops the organization's view in this process (the bus does this on every process). */
  invalidate(tenantId: string): void {
    this.generations.set(tenantId, this.generationOf(tenantId) + 1);
    this.entries.delete(tenantId);
    this.loading.delete(tenantId);
  }

  /** Drops every view (the bus may have lost messages). */
  invalidateAll(): void {
    this.epoch++;
    this.entries.clear();
    this.loading.clear();
  }

  private generationOf(tenantId: string): number {
    return this.generations.get(tenantId) ?? 0;
  }

  private caching(): boolean {
    return this.deps.bus.connected?.() ?? true;
  }

  private store(tenantId: string, access: OrganizationAccess): void {
    if (this.entries.size >= this.maxOrganizations) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(tenantId, { access, entities: new Set() });
  }

  private async build(tenantId: string): Promise<OrganizationAccess> {
    this.builds++;
    const snapshot = await this.deps.snapshots.read(tenantId);
    const customRoles: CustomRole[] = [];
    for (const input of snapshot.customRoles) {
      const validated = validateCustomRole(input);
      if (!validated.ok) throw inconsistent(tenantId, validated.error);
      customRoles.push(validated.role);
    }
    const built = buildOrganizationAccessView({
      organizationId: tenantId,
      members: snapshot.members.map((m) => ({ memberId: m.membershipId, systemRole: m.role, customRoleKeys: m.customRoles })),
      customRoles,
      grants: snapshot.grants.map((g) => ({ memberId: g.membershipId, entityId: g.entityId, level: g.level })),
    });
    if (!built.ok) throw inconsistent(tenantId, built.error);
    return { tenantId, view: built.view, memberVersions: new Map(snapshot.members.map((m) => [m.membershipId, m.version])) };
  }
}

/**
 * Stored rows the access domain rejects are a data bug, not the caller's fault: an internal error
 * (500, logged) rather than an ACCESS_* code, and never a silently repaired view.
 */
function inconsistent(tenantId: string, error: { code: string; subject: string }): Error {
  return new Error(`Stored access data of organization ${tenantId} is inconsistent: ${error.code} (${error.subject})`);
}
