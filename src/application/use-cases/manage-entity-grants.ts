import { randomUUID } from 'node:crypto';
import type { EntityLevel } from '../../domain/access/entity-level.js';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Entity } from '../../domain/tenancy/entity.js';
import { EntityAccessGrant } from '../../domain/tenancy/entity-access-grant.js';
import type { EntityGrantRepository } from '../ports/entity-grant-repository.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { AuthorizedScope, OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

type GrantAction = 'grant.created' | 'grant.changed' | 'grant.revoked';

/**
 * Per-entity grants. Listing needs `entity:view` on the entity; granting, changing and revoking
 * need `entity:share` there, and nobody grants — or changes or revokes a grant — above their own
 * level on that entity (`canGrant`). Nobody grants or changes their own access; anyone may give
 * up their own grant. Every change publishes `access`.
 */
export class ManageEntityGrants {
  constructor(
    private readonly deps: { grants: EntityGrantRepository; memberships: MembershipRepository; context: OrgContext; uow: UnitOfWork; bus: InvalidationBus; audit: AuditRecorder; clock: Clock },
  ) {}

  async list(principal: Principal, orgRef: string, entityId: string, meta: RequestMeta): Promise<EntityAccessGrant[]> {
    const { org, entity } = await this.deps.context.requireOnEntity(principal, orgRef, entityId, 'entity:view', meta);
    return this.deps.grants.listByEntity(org.id, entity.id);
  }

  async grant(principal: Principal, orgRef: string, entityId: string, input: { member: string; level: EntityLevel }, meta: RequestMeta): Promise<EntityAccessGrant> {
    const scope = await this.sharing(principal, orgRef, entityId, input.member, meta);
    await this.notSelf(scope, input.member, meta);
    await this.deps.context.assertMayGrant(scope, scope.entity.id, [input.level], meta);
    const grant = EntityAccessGrant.create({ id: randomUUID(), tenantId: scope.org.id, entityId: scope.entity.id, membershipId: input.member, level: input.level, now: this.deps.clock.now() });
    await this.write(scope, 'grant.created', grant, { level: grant.level }, meta, () => this.deps.grants.save(grant));
    return grant;
  }

  async change(principal: Principal, orgRef: string, entityId: string, memberId: string, level: EntityLevel, meta: RequestMeta): Promise<EntityAccessGrant> {
    const scope = await this.sharing(principal, orgRef, entityId, memberId, meta);
    const grant = await this.existing(scope, memberId);
    await this.notSelf(scope, memberId, meta);
    // Neither above one's own level, nor touching a grant above it (a manager cannot downgrade an admin).
    await this.deps.context.assertMayGrant(scope, scope.entity.id, [grant.level, level], meta);
    const previous = grant.level;
    grant.changeLevel(level, this.deps.clock.now());
    await this.write(scope, 'grant.changed', grant, { from: previous, to: level }, meta, () => this.deps.grants.save(grant));
    return grant;
  }

  async revoke(principal: Principal, orgRef: string, entityId: string, memberId: string, meta: RequestMeta): Promise<void> {
    const self = (await this.deps.context.resolve(principal, orgRef)).membership.id === memberId;
    // Anyone may give up their own grant (holding one means viewing); someone else's needs sharing rights.
    const scope = self ? await this.deps.context.requireOnEntity(principal, orgRef, entityId, 'entity:view', meta) : await this.sharing(principal, orgRef, entityId, memberId, meta);
    const grant = await this.existing(scope, memberId);
    if (!self) await this.deps.context.assertMayGrant(scope, scope.entity.id, [grant.level], meta);
    await this.write(scope, 'grant.revoked', grant, { level: grant.level }, meta, async () => {
      if (!(await this.deps.grants.delete(scope.org.id, scope.entity.id, memberId))) throw new DomainError('GRANT_NOT_FOUND', 'Grant not found');
    });
  }

  /** The caller may share this entity, and the member is one of this organization's. */
  private async sharing(principal: Principal, orgRef: string, entityId: string, memberId: string, meta: RequestMeta): Promise<AuthorizedScope & { entity: Entity }> {
    const scope = await this.deps.context.requireOnEntity(principal, orgRef, entityId, 'entity:share', meta);
    if (!(await this.deps.memberships.findById(scope.org.id, memberId))) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
    return scope;
  }

  private async existing(scope: AuthorizedScope & { entity: Entity }, memberId: string): Promise<EntityAccessGrant> {
    const grant = await this.deps.grants.find(scope.org.id, scope.entity.id, memberId);
    if (!grant) throw new DomainError('GRANT_NOT_FOUND', 'Grant not found');
    return grant;
  }

  private async notSelf(scope: AuthorizedScope & { entity: Entity }, memberId: string, meta: RequestMeta): Promise<void> {
    if (memberId !== scope.membership.id) return;
    await this.deps.context.deny(scope, { permission: 'entity:share', reason: 'self_grant', entityId: scope.entity.id, missing: 'another member' }, meta, 'ACCESS_ESCALATION_DENIED');
  }

  private async write(scope: AuthorizedScope & { entity: Entity }, action: GrantAction, grant: EntityAccessGrant, metadata: Record<string, string>, meta: RequestMeta, change: () => Promise<void>): Promise<void> {
    await this.deps.uow.run(async () => {
      await change();
      await this.deps.audit.record(
        { action, tenantId: scope.org.id, actorUserId: scope.principal.userId, targetType: 'entity', targetId: scope.entity.id, metadata: { memberId: grant.membershipId, ...metadata } },
        meta,
      );
    });
    await this.deps.bus.publish({ topic: 'access', id: scope.org.id });
  }
}
