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
    const unstorable = unstorableAt(result.data, [where]);
    if (unstorable) throw new HttpError('VALIDATION_FAILED', `Invalid request ${where}`, [unstorable]);
    return result.data;
  }
  throw new HttpError(
    'VALIDATION_FAILED',
    `Invalid request ${where}`,
    result.error.issues.slice(0, 20).map((issue) => ({ path: [where, ...issue.path.map(String)].join('.'), message: issue.message })),
  );
}

/**
 * Where a validated value holds text PostgreSQL cannot take: U+0000, which no text column stores,
 * or a lone UTF-16 surrogate (JSON allows `"\ud800"`), which no UTF-8 text or json value can encode.
 * The driver would fail the statement, and a vendor SDK encoding it for a URL would throw: a 5xx
 * for what is bad input. Checked once for every route here, keys included, rather than in each schema.
 */
function unstorableAt(value: unknown, path: string[]): { path: string; message: string } | null {
  if (typeof value === 'string') return unstorableText(value, path);
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = unstorableText(key, [...path, key]) ?? unstorableAt(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

function unstorableText(text: string, path: string[]): { path: string; message: string } | null {
  if (text.includes('\u0000')) return { path: path.join('.'), message: 'must not contain U+0000' };
  if (!text.isWellFormed()) return { path: path.join('.'), message: 'must be well-formed Unicode (no lone surrogates)' };
  return null;
}
