/**
 * The closed set of stable error codes Gatehouse can answer with. A code is API:
 * clients switch on it, so it is never renamed once shipped. Grouped by prefix.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'AUTH_REQUIRED',
  'AUTH_TOKEN_INVALID',
  'AUTH_SESSION_REVOKED',
  'INVALID_CREDENTIALS',
  'REFRESH_TOKEN_INVALID',
  'REFRESH_TOKEN_REUSED',
  'INTERMEDIATE_TOKEN_INVALID',
  'MFA_CODE_INVALID',
  'MFA_CHALLENGE_INVALID',
  'MFA_ALREADY_ENABLED',
  'MFA_NOT_ENABLED',
  'MFA_REQUIRED',
  'AUTH_METHOD_NOT_ALLOWED',
  'REAUTHENTICATION_FAILED',
  'REAUTHENTICATION_REQUIRED',
  'MAGIC_LINK_INVALID',
  'VERIFICATION_TOKEN_INVALID',
  'RESET_TOKEN_INVALID',
  'ACTIVATION_TOKEN_INVALID',
  'IDENTITY_CAPABILITY_UNSUPPORTED',
  'REDIRECT_URL_NOT_ALLOWED',
  'ORIGIN_NOT_ALLOWED',
  'PASSWORD_POLICY_VIOLATION',
  'ACCESS_DENIED',
  'TENANT_NOT_FOUND',
  'TENANT_SLUG_TAKEN',
  'TENANT_SLUG_INVALID',
  'TENANT_ARCHIVED',
  'TENANT_SUSPENDED',
  'TENANT_NOT_ACTIVE',
  'TENANT_STATUS_TRANSITION_INVALID',
  'MEMBER_NOT_FOUND',
  'MEMBER_ALREADY_EXISTS',
  'MEMBER_LAST_ADMIN',
  'INVITATION_NOT_PENDING',
  'USER_NOT_FOUND',
  'USER_ALREADY_EXISTS',
  'SESSION_NOT_FOUND',
  'ENTITY_NOT_FOUND',
  'CONCURRENT_MODIFICATION',
  'RATE_LIMITED',
  'SERVICE_OVERLOADED',
  'MAIL_DATA_INVALID',
  'ACCESS_ESCALATION_DENIED',
  'ACCESS_UNKNOWN_PERMISSION',
  'ACCESS_INVALID_ROLE_KEY',
  'ACCESS_RESERVED_ROLE_KEY',
  'ACCESS_INVALID_ROLE_NAME',
  'ACCESS_DUPLICATE_ROLE_KEY',
  'ACCESS_UNKNOWN_SYSTEM_ROLE',
  'ACCESS_UNKNOWN_CUSTOM_ROLE',
  'ACCESS_DUPLICATE_MEMBER',
  'ACCESS_GRANT_UNKNOWN_MEMBER',
  'ACCESS_INVALID_ENTITY_LEVEL',
  'ACCESS_DUPLICATE_GRANT',
  'ROLE_NOT_FOUND',
  'GRANT_NOT_FOUND',
  'ENTITLEMENT_EXCEEDED',
  'BILLING_NOT_CONFIGURED',
  'BILLING_PROVIDER_UNAVAILABLE',
  'BILLING_REQUEST_REJECTED',
  'BILLING_CUSTOMER_MISSING',
  'BILLING_SUBSCRIPTION_ACTIVE',
  'WEBHOOK_SIGNATURE_INVALID',
  'IDENTITY_PROVIDER_UNAVAILABLE',
  'IDENTITY_PROVIDER_REJECTED',
  'IDENTITY_NOT_CONFIGURED',
] as const;

/** A stable, machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The one error type the domain and application layers throw for expected failures.
 * The HTTP adapter maps `code` to a status; `message` is for humans and never
 * carries secrets, tokens or passwords.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, string | number | boolean | null>>,
  ) {
    super(message);
  }
}

/** Narrows an unknown thrown value to a DomainError, optionally of one code. */
export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
