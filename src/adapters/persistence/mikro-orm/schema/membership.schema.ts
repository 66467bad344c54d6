import { defineEntity, p } from '@mikro-orm/core';
import { Membership, type MembershipStatus } from '../../../../domain/tenancy/membership.js';
import type { SystemRole } from '../../../../domain/tenancy/system-role.js';

/** Maps the domain class onto `memberships`. Foreign keys are plain columns: no ORM relations, no lazy loading. */
export const MembershipSchema = defineEntity({
  class: Membership,
  tableName: 'memberships',
  properties: {
    id: p.text().primary(),
    tenantId: p.text(),
    userId: p.text(),
    role: p.text().$type<SystemRole>(),
    customRoles: p.json<string[]>(),
    status: p.text().$type<MembershipStatus>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    version: p.integer(),
  },
});
