import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import { Membership } from '../../domain/tenancy/membership.js';
import { Organization, type OrganizationPolicy } from '../../domain/tenancy/organization.js';
import { assertValidSlug, slugify } from '../../domain/tenancy/slug.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** Creating, reading, updating and deleting organizations. */
export class ManageOrganizations {
  constructor(
    private readonly deps: {
      orgs: OrganizationRepository;
      memberships: MembershipRepository;
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
    for (let attempt = 0; attempt < 5; attempt++) {
      const slug = explicit ?? (attempt === 0 ? base : `${base.slice(0, 50)}-${randomUUID().slice(0, 6)}`);
      try {
        const created = await this.deps.uow.run(async () => {
          const now = this.deps.clock.now();
          const org = Organization.create({ id: randomUUID(), slug, name: input.name, now });
          const membership = Membership.create({ id: randomUUID(), tenantId: org.id, userId, role: 'admin', now });
          await this.deps.orgs.save(org);
          await this.deps.memberships.save(membership);
          await this.deps.audit.record({ action: 'organization.created', tenantId: org.id, actorUserId: userId, targetType: 'organization', targetId: org.id }, meta);
          return { org, membership };
        });
        await this.deps.bus.publish({ topic: 'user', id: userId });
        return created;
      } catch (error) {
        if (explicit !== undefined || !isDomainError(error, 'TENANT_SLUG_TAKEN')) throw error;
      }
    }
    throw new DomainError('TENANT_SLUG_TAKEN', 'Could not find a free slug; pass one explicitly');
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
    const now = this.deps.clock.now();
    if (patch.name !== undefined) org.rename(patch.name, now);
    if (patch.slug !== undefined) org.changeSlug(patch.slug, now);
    if (patch.policy !== undefined) org.updatePolicy(patch.policy, now);
    await this.deps.uow.run(async () => {
      await this.deps.orgs.save(org);
      await this.deps.audit.record(
        { action: 'organization.updated', tenantId: org.id, actorUserId: principal.userId, targetType: 'organization', targetId: org.id, metadata: { fields: Object.keys(patch).join(',') } },
        meta,
      );
    });
    await this.deps.bus.publish({ topic: 'tenant', id: org.id });
    return org;
  }

  /** Members with `organization:delete` (admins) delete the organization and everything it owns. */
  async delete(principal: Principal, orgRef: string, meta: RequestMeta): Promise<void> {
    const { org } = await this.deps.context.require(principal, orgRef, 'organization:delete', meta);
    const members = await this.deps.memberships.listByTenant(org.id);
    await this.deps.uow.run(async () => {
      await this.deps.orgs.delete(org.id);
      await this.deps.audit.record({ action: 'organization.deleted', actorUserId: principal.userId, targetType: 'organization', targetId: org.id, metadata: { slug: org.slug } }, meta);
    });
    await this.deps.bus.publish({ topic: 'tenant', id: org.id });
    await Promise.all(members.map((m) => this.deps.bus.publish({ topic: 'user', id: m.userId })));
  }
}
