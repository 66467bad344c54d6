import { defineEntity, p } from '@mikro-orm/core';
import type { Permission } from '../../../../domain/access/permission.js';
import { OrganizationRole } from '../../../../domain/tenancy/organization-role.js';

/** Maps the domain class onto `custom_roles`. */
export const CustomRoleSchema = defineEntity({
  class: OrganizationRole,
  tableName: 'custom_roles',
  properties: {
    id: p.text().primary(),
    tenantId: p.text(),
    key: p.text(),
    name: p.text(),
    permissions: p.json<Permission[]>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    version: p.integer(),
  },
});
