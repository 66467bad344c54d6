import { defineEntity, p } from '@mikro-orm/core';
import { Entity } from '../../../../domain/tenancy/entity.js';

/** Maps the domain class onto `entities` (tenant resources). */
export const EntitySchema = defineEntity({
  class: Entity,
  tableName: 'entities',
  properties: {
    id: p.text().primary(),
    tenantId: p.text(),
    type: p.text(),
    name: p.text(),
    externalId: p.text().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    version: p.integer(),
  },
});
