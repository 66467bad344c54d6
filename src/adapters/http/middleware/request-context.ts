import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';

const INBOUND_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives every request an id (a well-formed inbound `X-Request-Id` is kept, so a
 * proxy's id follows the request) and writes one access-log line when it ends.
 * Only method, route, status, timing and ids are logged: never headers or bodies.
 */
export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const inbound = ctx.get('x-request-id');
    const requestId = INBOUND_ID.test(inbound) ? inbound : randomUUID();
    ctx.state['requestId'] = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (ctx.status >= 500) logger.warn({ requestId, method: ctx.method, route: ctx.state['route'] ?? ctx.path, status: ctx.status, ms }, 'request');
      else if (logger.isLevelEnabled('debug')) logger.debug({ requestId, method: ctx.method, route: ctx.state['route'] ?? ctx.path, status: ctx.status, ms }, 'request');
    }
  };
}
