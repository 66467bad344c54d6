import { z } from 'zod';

export const ErrorBody = z
  .object({
    code: z.string().meta({ description: 'Stable UPPER_SNAKE error code' }),
    message: z.string(),
    requestId: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .meta({ id: 'Error' });

export const Uuid = z.uuid();
/** `:org` accepts an organization id or slug. */
export const OrgParam = z.object({ org: z.string().min(1).max(100).meta({ description: 'Organization id or slug' }) });
export const Email = z.email().max(254);
export const Password = z.string().min(1).max(4096);
export const SystemRoleSchema = z.enum(['admin', 'manager', 'member', 'viewer']).meta({ id: 'SystemRole' });
