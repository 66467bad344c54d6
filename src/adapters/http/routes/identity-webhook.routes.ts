import { z } from 'zod';
import type { HttpDeps } from '../http-deps.js';
import { defineRoute, type RouteDef } from '../route.js';

const IdentityWebhookAck = z
  .object({
    received: z.literal(true),
    duplicate: z.boolean().meta({ description: 'The event id was received before; nothing was done again' }),
    outcome: z
      .enum(['applied', 'duplicate', 'stale', 'deleted', 'unknown', 'ignored'])
      .meta({ description: 'What Gatehouse did with the event: stale and deleted changed nothing (an older state, or an object already deleted); unknown names an object the mirror does not hold' }),
  })
  .meta({ id: 'IdentityWebhookAck' });

/** The Stytch webhook (docs/identity-providers.md): the mirror of Stytch's organizations and members. */
export function identityWebhookRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/webhooks/stytch', operationId: 'receiveStytchWebhook', tag: 'Webhooks', auth: 'none',
      summary: 'Stytch member and organization events, verified over the raw body (svix-id, svix-timestamp, svix-signature); applied exactly once. 200 only after the change committed',
      responses: { 200: { description: 'Acknowledged', schema: IdentityWebhookAck } },
      errors: ['WEBHOOK_SIGNATURE_INVALID', 'VALIDATION_FAILED', 'IDENTITY_NOT_CONFIGURED', 'CONCURRENT_MODIFICATION'],
      handler: async ({ ctx }) => {
        const raw: unknown = ctx.state['rawBody'];
        const headers = { 'svix-id': ctx.get('svix-id') || undefined, 'svix-timestamp': ctx.get('svix-timestamp') || undefined, 'svix-signature': ctx.get('svix-signature') || undefined };
        const receipt = await d.identityWebhook.execute(Buffer.isBuffer(raw) ? raw : undefined, headers);
        return { status: 200, body: { received: true, duplicate: receipt.duplicate, outcome: receipt.outcome } };
      },
    }),
  ];
}
