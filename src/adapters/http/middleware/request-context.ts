import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { Logger } from 'pino';

const INBOUND_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives the request its id: a well-formed inbound `X-Request-Id` is kept, so a proxy's id
 * follows the request; otherwise a new one. It is echoed in the response and in error bodies.
 */
export function assignRequestId(ctx: Context): string {
  const inbound = ctx.req.headers['x-request-id'];
  const requestId = typeof inbound === 'string' && INBOUND_ID.test(inbound) ? inbound : randomUUID();
  ctx.state['requestId'] = requestId;
  ctx.res.setHeader('X-Request-Id', requestId);
  return requestId;
}

/**
 * One access-log line when a request ends: failures (5xx) at warn, the rest at debug. Only method,
 * route, status, timing and ids are logged: never headers or bodies.
 */
export function logRequest(logger: Logger, ctx: Context, requestId: string, ms: number): void {
  if (ctx.status >= 500) logger.warn({ requestId, method: ctx.method, route: ctx.state['route'] ?? ctx.path, status: ctx.status, ms }, 'request');
  else if (logger.isLevelEnabled('debug')) logger.debug({ requestId, method: ctx.method, route: ctx.state['route'] ?? ctx.path, status: ctx.status, ms }, 'request');
}
