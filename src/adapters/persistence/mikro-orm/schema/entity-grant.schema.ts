import { defineEntity, p } from '@mikro-orm/core';
import type { EntityLevel } from '../../../../domain/access/entity-level.js';
import { EntityAccessGrant } from '../../../../domain/tenancy/entity-access-grant.js';

/** Maps the domain class onto `entity_grants`. Foreign keys are plain columns, as elsewhere. */
export const EntityGrantSchema = defineEntity({
  class: EntityAccessGrant,
  tableName: 'entity_grants',
  properties: {
    id: p.text().primary(),
    tenantId: p.text(),
    entityId: p.text(),
    membershipId: p.text(),
    level: p.text().$type<EntityLevel>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    version: p.integer(),
  },
});
