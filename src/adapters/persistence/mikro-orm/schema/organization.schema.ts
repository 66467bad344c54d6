import { defineEntity, p } from '@mikro-orm/core';
import { Organization, type OrganizationPolicy } from '../../../../domain/tenancy/organization.js';
import type { OrganizationStatus } from '../../../../domain/tenancy/organization-status.js';

/** Maps the domain class onto `organizations`; the table itself is owned by the migrations. */
export const OrganizationSchema = defineEntity({
  class: Organization,
  tableName: 'organizations',
  properties: {
    id: p.text().primary(),
    slug: p.text(),
    name: p.text(),
    status: p.text().$type<OrganizationStatus>(),
    plan: p.text().nullable(),
    policy: p.json<OrganizationPolicy>(),
    billingCustomerId: p.text().fieldName('stripe_customer_id').nullable(),
    billingSubscriptionId: p.text().fieldName('stripe_subscription_id').nullable(),
    billingUpdatedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    version: p.integer(),
  },
});
