import type { Context } from 'koa';
import type { Plan } from '../../../domain/billing/plans.js';
import type { HttpDeps } from '../http-deps.js';
import { bearerOf } from '../mount-routes.js';
import { defineRoute, type RouteDef } from '../route.js';
import { CheckoutBody, PlanListView, UrlView } from '../schemas/billing.schemas.js';
import { OrgParam } from '../schemas/common.schemas.js';

const tag = 'Billing';

const presentPlan = (plan: Plan) => ({
  id: plan.id,
  name: plan.name,
  price: { amount: plan.amount, currency: plan.currency, interval: plan.interval },
  limits: { units: plan.unitLimit, members: plan.entitlements.limits.members },
  features: [...plan.entitlements.features],
});

/** Plans, Stripe Checkout and the Stripe Billing Portal (docs/billing.md). */
export function billingRoutes(d: HttpDeps): RouteDef[] {
  // The checkout route is public; only an upgrade of an existing organization needs the caller.
  const caller = (ctx: Context) => d.authenticate.execute(bearerOf(ctx));
  return [
    defineRoute({
      method: 'get', path: '/api/v1/billing/plans', operationId: 'listPlans', tag, auth: 'none',
      summary: 'Plans with prices, limits and features, and whether billing is configured',
      responses: { 200: { description: 'Plans', schema: PlanListView } },
      handler: async () => {
        const listing = d.billingPlans.execute();
        return { status: 200, body: { configured: listing.configured, plans: listing.plans.map(presentPlan) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/billing/checkout', operationId: 'startCheckout', tag, auth: 'none', body: CheckoutBody,
      summary: 'Start a Stripe Checkout for a plan: a new organization, or (signed-in admin, `organization`) an upgrade',
      responses: { 200: { description: 'Send the buyer to this Stripe Checkout URL', schema: UrlView } },
      errors: ['BILLING_NOT_CONFIGURED', 'BILLING_PROVIDER_UNAVAILABLE', 'BILLING_REQUEST_REJECTED', 'AUTH_REQUIRED', 'ACCESS_DENIED', 'TENANT_NOT_FOUND', 'RATE_LIMITED'],
      handler: async ({ body, ctx, meta }) => {
        const session = await d.checkout.execute(body, () => caller(ctx), meta);
        return { status: 200, body: { url: session.url } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/organizations/:org/billing/portal', operationId: 'openBillingPortal', tag, auth: 'bearer', params: OrgParam,
      summary: 'A Stripe Billing Portal URL for the organization (admin: billing:manage)',
      responses: { 200: { description: 'Send the admin to this Stripe Billing Portal URL', schema: UrlView } },
      errors: ['BILLING_NOT_CONFIGURED', 'BILLING_CUSTOMER_MISSING', 'BILLING_PROVIDER_UNAVAILABLE', 'BILLING_REQUEST_REJECTED', 'ACCESS_DENIED', 'TENANT_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => ({ status: 200, body: await d.billingPortal.execute(principal, params.org, meta) }),
    }),
  ];
}
