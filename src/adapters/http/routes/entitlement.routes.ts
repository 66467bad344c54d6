import type { z } from 'zod';
import type { EntitlementsReport } from '../../../application/use-cases/get-entitlements.js';
import type { HttpDeps } from '../http-deps.js';
import { defineRoute, type RouteDef } from '../route.js';
import { OrgParam } from '../schemas/common.schemas.js';
import { EntitlementsView } from '../schemas/entitlement.schemas.js';

const tag = 'Entitlements';

/** An organization's plan limits and features with usage (docs/entitlements.md). */
export function entitlementRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org/entitlements', operationId: 'getEntitlements', tag, auth: 'bearer', params: OrgParam,
      summary: "The organization's plan, features and limits with current usage (any member)",
      responses: { 200: { description: 'Entitlements', schema: EntitlementsView } },
      errors: ['TENANT_NOT_FOUND', 'TENANT_ARCHIVED', 'TENANT_SUSPENDED', 'ACCESS_DENIED'],
      handler: async ({ principal, params, meta }) => ({ status: 200, body: presentEntitlements(await d.entitlements.execute(principal, params.org, meta)) }),
    }),
  ];
}

function presentEntitlements({ entitlements, usage }: EntitlementsReport): z.infer<typeof EntitlementsView> {
  return {
    plan: entitlements.plan,
    features: [...entitlements.features],
    limits: {
      entities: { limit: entitlements.limits.entities, used: usage.entities },
      members: { limit: entitlements.limits.members, used: usage.members },
    },
  };
}
