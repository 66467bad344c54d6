import { z } from 'zod';
import type { HttpDeps } from '../http-deps.js';
import { defineRoute, type RouteDef } from '../route.js';

const WebhookAck = z
  .object({
    received: z.literal(true),
    outcome: z.enum(['applied', 'duplicate', 'stale', 'ignored', 'unknown_customer']).meta({ description: 'What Gatehouse did with the event (every one is acknowledged)' }),
  })
  .meta({ id: 'WebhookAck' });

const CheckoutStatusView = z
  .object({ status: z.enum(['not_configured', 'pending', 'provisioning', 'active', 'failed']) })
  .meta({ id: 'CheckoutStatus' });

/** The Stripe webhook and the provisioning status the pending page polls (docs/billing.md). */
export function billingWebhookRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/webhooks/stripe', operationId: 'receiveStripeWebhook', tag: 'Webhooks', auth: 'none',
      summary: 'Stripe events, verified over the raw body (Stripe-Signature); applied exactly once. 200 only after the change committed',
      responses: { 200: { description: 'Acknowledged', schema: WebhookAck } },
      errors: ['WEBHOOK_SIGNATURE_INVALID', 'BILLING_NOT_CONFIGURED', 'CONCURRENT_MODIFICATION'],
      handler: async ({ ctx }) => {
        const raw: unknown = ctx.state['rawBody'];
        const outcome = await d.billingWebhook.execute(Buffer.isBuffer(raw) ? raw : undefined, ctx.get('stripe-signature') || undefined);
        return { status: 200, body: { received: true, outcome } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/billing/status', operationId: 'getCheckoutStatus', tag: 'Billing', auth: 'none',
      query: z.object({ session_id: z.string().trim().min(1).max(255) }),
      summary: 'Provisioning status of a checkout session, for the pending page (unknown sessions answer pending)',
      responses: { 200: { description: 'Status', schema: CheckoutStatusView } },
      handler: async ({ query }) => ({ status: 200, body: { status: await d.checkoutStatus.execute(query.session_id) } }),
    }),
  ];
}
