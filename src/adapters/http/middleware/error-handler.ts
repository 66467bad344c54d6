import type { Context } from 'koa';
import type { Logger } from 'pino';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { ERROR_STATUS } from '../error-status.js';
import { type ApiErrorCode, HttpError } from '../http-error.js';

/**
 * The one place errors become responses: `{code, message, requestId}` with the
 * status from ERROR_STATUS. Unknown errors are logged and answer 500 INTERNAL
 * without a stack trace, SQL or message.
 */
export function answerError(ctx: Context, error: unknown, logger: Logger): void {
  const { code, message, extra } = describe(error);
  const { status, expose, retryAfter } = ERROR_STATUS[code];
  if (status >= 500 && code === 'INTERNAL') logger.error({ err: error, requestId: ctx.state['requestId'] }, 'request failed');
  ctx.status = status;
  ctx.body = { code, message: expose ? message : 'Something went wrong; quote the requestId when reporting it', requestId: ctx.state['requestId'], ...extra };
  if (retryAfter && error instanceof DomainError && typeof error.details?.['retryAfter'] === 'number') {
    ctx.set('Retry-After', String(error.details['retryAfter']));
  }
}

/** Refuses with ROUTE_NOT_FOUND a request that no route answered (no status and no body set). */
export function answerIfUnanswered(ctx: Context, logger: Logger): void {
  if (ctx.status === 404 && ctx.body === undefined) answerError(ctx, new HttpError('ROUTE_NOT_FOUND', 'No such route'), logger);
}

function describe(error: unknown): { code: ApiErrorCode; message: string; extra: Record<string, unknown> } {
  if (error instanceof DomainError) return { code: error.code, message: error.message, extra: error.details ? { details: error.details } : {} };
  if (error instanceof HttpError) return { code: error.code, message: error.message, extra: error.issues ? { issues: error.issues } : {} };
  // koa and the router raise a 400 for a malformed request (e.g. bad URL encoding); methods a route
  // does not serve become HttpError METHOD_NOT_ALLOWED in AreaRouters.
  const status = typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : 500;
  if (status === 400) return { code: 'VALIDATION_FAILED', message: 'Malformed request', extra: {} };
  return { code: 'INTERNAL', message: 'Internal error', extra: {} };
}
