import type { ApiErrorCode } from './http-error.js';

/**
 * The one table from error code to HTTP status. A code added to the union without
 * a row here fails to compile. `expose: false` replaces the message with a generic one.
 */
export const ERROR_STATUS: Readonly<Record<ApiErrorCode, { status: number; expose: boolean }>> = {
  VALIDATION_FAILED: { status: 400, expose: true },
  INVALID_JSON: { status: 400, expose: true },
  PASSWORD_POLICY_VIOLATION: { status: 400, expose: true },
  TENANT_SLUG_INVALID: { status: 400, expose: true },
  AUTH_REQUIRED: { status: 401, expose: true },
  AUTH_TOKEN_INVALID: { status: 401, expose: true },
  AUTH_SESSION_REVOKED: { status: 401, expose: true },
  INVALID_CREDENTIALS: { status: 401, expose: true },
  REFRESH_TOKEN_INVALID: { status: 401, expose: true },
  REFRESH_TOKEN_REUSED: { status: 401, expose: true },
  INTERMEDIATE_TOKEN_INVALID: { status: 401, expose: true },
  ORIGIN_NOT_ALLOWED: { status: 403, expose: true },
  ACCESS_DENIED: { status: 403, expose: true },
  TENANT_ARCHIVED: { status: 403, expose: true },
  TENANT_SUSPENDED: { status: 403, expose: true },
  TENANT_NOT_ACTIVE: { status: 403, expose: true },
  TENANT_NOT_FOUND: { status: 404, expose: true },
  MEMBER_NOT_FOUND: { status: 404, expose: true },
  USER_NOT_FOUND: { status: 404, expose: true },
  SESSION_NOT_FOUND: { status: 404, expose: true },
  ENTITY_NOT_FOUND: { status: 404, expose: true },
  ROUTE_NOT_FOUND: { status: 404, expose: true },
  METHOD_NOT_ALLOWED: { status: 405, expose: true },
  TENANT_SLUG_TAKEN: { status: 409, expose: true },
  TENANT_STATUS_TRANSITION_INVALID: { status: 409, expose: true },
  MEMBER_ALREADY_EXISTS: { status: 409, expose: true },
  MEMBER_LAST_ADMIN: { status: 409, expose: true },
  USER_ALREADY_EXISTS: { status: 409, expose: false },
  CONCURRENT_MODIFICATION: { status: 409, expose: true },
  PAYLOAD_TOO_LARGE: { status: 413, expose: true },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, expose: true },
  RATE_LIMITED: { status: 429, expose: true },
  INTERNAL: { status: 500, expose: false },
  SERVICE_OVERLOADED: { status: 503, expose: true },
};
