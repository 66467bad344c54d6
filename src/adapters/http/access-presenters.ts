import type { RoleView } from '../../application/use-cases/manage-custom-roles.js';
import type { Entity } from '../../domain/tenancy/entity.js';
import type { EntityAccessGrant } from '../../domain/tenancy/entity-access-grant.js';

/** JSON shapes of roles, entities and grants; ./schemas/access.schemas.ts describes the same shapes. */
export const presentAccess = {
  role: (r: RoleView) => ({
    key: r.key,
    name: r.name,
    system: r.system,
    permissions: [...r.permissions],
    entityLevel: r.entityLevel,
    createdAt: r.role?.createdAt.toISOString() ?? null,
    updatedAt: r.role?.updatedAt.toISOString() ?? null,
  }),
  entity: (e: Entity) => ({ id: e.id, type: e.type, name: e.name, externalId: e.externalId, createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString() }),
  grant: (g: EntityAccessGrant) => ({ entityId: g.entityId, memberId: g.membershipId, level: g.level, createdAt: g.createdAt.toISOString(), updatedAt: g.updatedAt.toISOString() }),
};
