import type { ErrorCode } from '../../domain/shared/domain-error.js';

/** Codes only the HTTP edge produces (malformed requests, routing). */
export type HttpOnlyCode = 'ROUTE_NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'INVALID_JSON' | 'INTERNAL';

/** Every code an HTTP response can carry. */
export type ApiErrorCode = ErrorCode | HttpOnlyCode;

/** An error raised by the HTTP edge itself, before a use case runs. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly code: HttpOnlyCode | 'VALIDATION_FAILED',
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}
