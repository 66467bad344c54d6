import { randomUUID } from 'node:crypto';
import { decide } from '../../domain/access/decide.js';
import type { Clock } from '../../domain/shared/clock.js';
import { Entity } from '../../domain/tenancy/entity.js';
import type { EntityRepository } from '../ports/entity-repository.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { EntitlementGuard } from '../services/entitlement-guard.js';
import type { OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/**
 * Entities (boats, properties, projects) a relying app registers in an organization. Listing
 * shows the entities the caller may view; registering needs `entity:create` organization-wide;
 * reading, renaming and deleting need `entity:view`, `entity:edit`, `entity:delete` on the entity.
 * Deleting an entity deletes its grants and publishes `access`. Registering counts against the
 * plan's entity limit (docs/entitlements.md).
 */
export class ManageEntities {
  constructor(private readonly deps: { entities: EntityRepository; context: OrgContext; uow: UnitOfWork; bus: InvalidationBus; audit: AuditRecorder; clock: Clock; entitlements: EntitlementGuard }) {}

  /** The organization's entities the caller may view, oldest first, optionally of one type. */
  async list(principal: Principal, orgRef: string, filter: { type?: string | undefined }): Promise<Entity[]> {
    const scope = await this.deps.context.resolve(principal, orgRef);
    const { view } = await this.deps.context.access(scope);
    const entities = await this.deps.entities.list(scope.org.id);
    // Filtering is not a refusal: nothing is audited for entities the caller simply does not see.
    return entities.filter((e) => (filter.type === undefined || e.type === filter.type) && decide(view, scope.membership.id, 'entity:view', e.id).allowed);
  }

  async register(principal: Principal, orgRef: string, input: { type: string; name: string; externalId?: string | null | undefined }, meta: RequestMeta): Promise<Entity> {
    const { org } = await this.deps.context.require(principal, orgRef, 'entity:create', meta);
    const entity = Entity.create({ id: randomUUID(), tenantId: org.id, type: input.type, name: input.name, externalId: input.externalId ?? null, now: this.deps.clock.now() });
    await this.deps.uow.run(async () => {
      // Tenant lock, plan and count in the same transaction as the insert: the limit cannot be raced.
      await this.deps.entitlements.assertRoom(org.id, 'entities');
      await this.deps.entities.save(entity);
      await this.deps.audit.record(
        { action: 'entity.created', tenantId: org.id, actorUserId: principal.userId, targetType: 'entity', targetId: entity.id, metadata: { type: entity.type, name: entity.name } },
        meta,
      );
    });
    return entity;
  }

  async get(principal: Principal, orgRef: string, entityId: string, meta: RequestMeta): Promise<Entity> {
    return (await this.deps.context.requireOnEntity(principal, orgRef, entityId, 'entity:view', meta)).entity;
  }

  async rename(principal: Principal, orgRef: string, entityId: string, name: string, meta: RequestMeta): Promise<Entity> {
    const { org, entity } = await this.deps.context.requireOnEntity(principal, orgRef, entityId, 'entity:edit', meta);
    const previous = entity.name;
    entity.rename(name, this.deps.clock.now());
    await this.deps.uow.run(async () => {
      await this.deps.entities.save(entity);
      await this.deps.audit.record(
        { action: 'entity.updated', tenantId: org.id, actorUserId: principal.userId, targetType: 'entity', targetId: entity.id, metadata: { from: previous, to: entity.name } },
        meta,
      );
    });
    return entity;
  }

  /** Deletes the entity and, by cascade, every grant on it. */
  async delete(principal: Principal, orgRef: string, entityId: string, meta: RequestMeta): Promise<void> {
    const { org, entity } = await this.deps.context.requireOnEntity(principal, orgRef, entityId, 'entity:delete', meta);
    await this.deps.uow.run(async () => {
      await this.deps.entities.delete(org.id, entity.id);
      await this.deps.audit.record(
        { action: 'entity.deleted', tenantId: org.id, actorUserId: principal.userId, targetType: 'entity', targetId: entity.id, metadata: { type: entity.type, name: entity.name } },
        meta,
      );
    });
    await this.deps.bus.publish({ topic: 'access', id: org.id });
  }
}
