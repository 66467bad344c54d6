import { z } from 'zod';

const LimitView = z
  .object({
    limit: z.number().int().nullable().meta({ description: 'What the plan allows; null is unlimited' }),
    used: z.number().int().meta({ description: 'In use now; may exceed `limit` after a downgrade (nothing is deleted)' }),
  })
  .meta({ id: 'EntitlementLimit' });

/** `GET /organizations/:org/entitlements` (docs/entitlements.md). */
export const EntitlementsView = z
  .object({
    plan: z.enum(['free', 'starter', 'professional', 'enterprise']).meta({ description: '`free` when the organization has no paid plan' }),
    features: z.array(z.enum(['custom_roles', 'sso', 'audit_log_export', 'priority_support'])),
    limits: z.object({
      entities: LimitView.meta({ description: 'Registered entities (units)' }),
      members: LimitView.meta({ description: 'Seats: members, invited ones included' }),
    }),
  })
  .meta({ id: 'Entitlements' });
