import { z } from 'zod';
import type { PlanId } from '../../../domain/billing/billing-event.js';
import { Email } from './common.schemas.js';

export const PlanIdSchema = z.enum(['starter', 'professional', 'enterprise'] as const satisfies readonly PlanId[]).meta({ id: 'PlanId' });

export const PlanView = z
  .object({
    id: PlanIdSchema,
    name: z.string(),
    price: z.object({ amount: z.number().int().meta({ description: 'In the smallest currency unit (cents)' }), currency: z.string(), interval: z.literal('month') }),
    limits: z.object({
      units: z.number().int().nullable().meta({ description: 'Units (entities) included; null is unlimited' }),
      members: z.number().int().nullable(),
    }),
    features: z.array(z.string()),
  })
  .meta({ id: 'Plan' });

export const PlanListView = z
  .object({ configured: z.boolean().meta({ description: 'false until Stripe is configured: checkout then answers BILLING_NOT_CONFIGURED' }), plans: z.array(PlanView) })
  .meta({ id: 'PlanList' });

export const CheckoutBody = z
  .object({
    planId: PlanIdSchema,
    email: Email.optional(),
    organizationName: z.string().trim().min(1).max(100).optional(),
    organization: z.string().min(1).max(100).optional().meta({ description: 'Upgrade this organization (id or slug); needs a Bearer token of an admin (billing:manage)' }),
  })
  .strict()
  .meta({ id: 'CheckoutRequest' });

export const UrlView = z.object({ url: z.url() }).meta({ id: 'RedirectUrl' });
