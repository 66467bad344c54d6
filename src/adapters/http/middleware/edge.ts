import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { answerError, answerIfUnanswered } from './error-handler.js';
import type { HttpMetrics } from './metrics.js';
import { assignRequestId, logRequest } from './request-context.js';

/**
 * The outermost middleware: what every request gets on its way in and out, in this order.
 * 1. An id (`assignRequestId`), then the defensive headers and CORS (`headers`, which may answer a
 *    preflight itself).
 * 2. Everything after it runs inside one try: any error becomes the response of `answerError`,
 *    and a request no route answered becomes `ROUTE_NOT_FOUND` (`answerIfUnanswered`).
 * 3. Once the response is decided (errors included) it is counted and timed in `metrics`, and
 *    logged (`logRequest`).
 * One function rather than four koa middlewares: each layer costs every request a closure and a
 * promise, and the metrics must see the status the error mapping chose, not the one before it.
 */
export function edge(deps: { logger: Logger; metrics: HttpMetrics; headers: (ctx: Context) => boolean }) {
  const { logger, metrics, headers } = deps;
  return async (ctx: Context, next: Next): Promise<void> => {
    const started = performance.now();
    const requestId = assignRequestId(ctx);
    try {
      if (headers(ctx)) return;
      await next();
      answerIfUnanswered(ctx, logger);
    } catch (error) {
      answerError(ctx, error, logger);
    } finally {
      const ms = performance.now() - started;
      metrics.record(ctx, ms / 1e3);
      logRequest(logger, ctx, requestId, ms);
    }
  };
}
