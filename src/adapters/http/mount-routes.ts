import type { Context } from 'koa';
import type { z } from 'zod';
import type { Principal } from '../../application/services/request-meta.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { AreaRouters } from './area-routers.js';
import { HttpError } from './http-error.js';
import { requestMeta } from './request-meta.js';
import type { RouteDef } from './route.js';

/** Placeholder principal for routes without authentication; it matches no user. */
const ANONYMOUS: Principal = Object.freeze({ userId: '', sessionId: '', tenantId: null, membershipId: null, roles: [], amr: [] });

export interface MountOptions {
  authenticate: (bearer: string) => Promise<Principal>;
  trustedProxies: readonly string[];
}

/** Registers route definitions on their area's koa router with validation and authentication. */
export function mountRoutes(routers: AreaRouters, routes: readonly RouteDef[], options: MountOptions): void {
  for (const route of routes) {
    routers.for(route.path)[route.method](route.operationId, route.path, async (ctx: Context) => {
      // ctx.query parses the query string on first read: routes without a query schema never read it.
      const params = route.params ? parse(route.params, ctx.params, 'path') : undefined;
      const query = route.query ? parse(route.query, ctx.query, 'query') : undefined;
      const body = route.body ? parse(route.body, ctx.request.body ?? {}, 'body') : undefined;
      const principal = route.auth === 'bearer' ? await options.authenticate(bearerOf(ctx)) : ANONYMOUS;
      const result = await route.handler({ params, query, body, principal, meta: requestMeta(ctx, options.trustedProxies), ctx } as never);
      ctx.status = result.status;
      if (result.headers) ctx.set(result.headers);
      if (result.body !== undefined) ctx.body = result.body;
    });
  }
}

/** The Bearer token of a request; AUTH_REQUIRED when there is none. */
export function bearerOf(ctx: Context): string {
  const header = ctx.get('authorization');
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
  if (!match) throw new DomainError('AUTH_REQUIRED', 'Send an access token as "Authorization: Bearer <token>"');
  return match[1]!;
}

function parse(schema: z.ZodType, value: unknown, where: string): unknown {
  const result = schema.safeParse(value);
  if (result.success) {
    const nul = nulAt(result.data, [where]);
    if (nul) throw new HttpError('VALIDATION_FAILED', `Invalid request ${where}`, [{ path: nul.join('.'), message: 'must not contain U+0000' }]);
    return result.data;
  }
  throw new HttpError(
    'VALIDATION_FAILED',
    `Invalid request ${where}`,
    result.error.issues.slice(0, 20).map((issue) => ({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message })),
  );
}

/**
 * Where a validated value holds a string with U+0000, which no PostgreSQL text column can store (the
 * driver would fail the statement: a 500 for what is bad input). Checked once for every route here
 * rather than in each string schema.
 */
function nulAt(value: unknown, path: string[]): string[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = nulAt(item, [...path, key]);
    if (found) return found;
  }
  return null;
}
