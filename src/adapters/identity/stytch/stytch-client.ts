import { B2BClient, ClientError, RequestError, StytchError } from 'stytch';
import { Agent } from 'undici';
import { DomainError, type ErrorCode } from '../../../domain/shared/domain-error.js';

/** How Gatehouse reaches Stytch (config: STYTCH_*). */
export interface StytchSettings {
  projectId: string;
  secret: string;
  /** Another base URL (the local emulator); unset: Stytch's test or live API by project id. */
  apiUrl?: string | undefined;
  /** Upper bound for one call, headers and body. */
  timeoutMs: number;
}

/**
 * The real `stytch` B2B client, every call bounded by an undici dispatcher (the SDK's
 * own `timeout` option has no effect). Pointed at `apiUrl` through `env`, because
 * `custom_base_url` accepts https only.
 */
export function createStytchClient(settings: StytchSettings): B2BClient {
  const dispatcher = new Agent({ headersTimeout: settings.timeoutMs, bodyTimeout: settings.timeoutMs, connectTimeout: settings.timeoutMs, keepAliveTimeout: 10_000 });
  return new B2BClient({
    project_id: settings.projectId,
    secret: settings.secret,
    ...(settings.apiUrl ? { env: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` } : {}),
    // The SDK calls Node's global fetch (undici 7 in Node 24); its .d.ts names its own undici 6 types.
    dispatcher: dispatcher as unknown as NonNullable<ConstructorParameters<typeof B2BClient>[0]['dispatcher']>,
  });
}

/** Stytch error types → Gatehouse codes, per call site; anything unlisted becomes IDENTITY_PROVIDER_REJECTED. */
export type StytchErrorMap = Readonly<Record<string, ErrorCode>>;

/**
 * Runs one Stytch call and translates its failures into DomainErrors, so no Stytch
 * error type leaves the adapter: network failures, timeouts, 429 and 5xx become
 * IDENTITY_PROVIDER_UNAVAILABLE (503); a mapped `error_type` its Gatehouse code; local
 * JWT failures AUTH_TOKEN_INVALID; any other 4xx IDENTITY_PROVIDER_REJECTED (502).
 */
export async function callStytch<T>(operation: string, call: () => Promise<T>, errors: StytchErrorMap = {}): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateStytchError(operation, error, errors);
  }
}

/** The DomainError a Stytch failure stands for (see callStytch). */
export function translateStytchError(operation: string, error: unknown, errors: StytchErrorMap): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof StytchError) {
    const mapped = errors[error.error_type];
    if (mapped) return new DomainError(mapped, messageFor(mapped), { provider: 'stytch', providerError: error.error_type });
    if (error.status_code === 429 || error.status_code >= 500) {
      return new DomainError('IDENTITY_PROVIDER_UNAVAILABLE', 'The identity provider is not answering; try again shortly', { provider: 'stytch', operation });
    }
    return new DomainError('IDENTITY_PROVIDER_REJECTED', 'The identity provider refused the request', { provider: 'stytch', operation, providerError: error.error_type });
  }
  if (error instanceof RequestError) {
    return new DomainError('IDENTITY_PROVIDER_UNAVAILABLE', 'The identity provider is not answering; try again shortly', { provider: 'stytch', operation });
  }
  if (error instanceof ClientError) return new DomainError('AUTH_TOKEN_INVALID', 'The session token is invalid or expired');
  return new DomainError('IDENTITY_PROVIDER_UNAVAILABLE', 'The identity provider is not answering; try again shortly', { provider: 'stytch', operation });
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  INVALID_CREDENTIALS: 'Email or password is incorrect',
  MAGIC_LINK_INVALID: 'This sign-in link is invalid or has expired',
  INTERMEDIATE_TOKEN_INVALID: 'This sign-in has expired; start again',
  MFA_CODE_INVALID: 'The code is invalid or has expired',
  RESET_TOKEN_INVALID: 'This reset link is invalid or has expired',
  AUTH_SESSION_REVOKED: 'This session has ended; sign in again',
  TENANT_NOT_FOUND: 'Organization not found',
  TENANT_SLUG_TAKEN: 'This organization slug is taken',
  MEMBER_NOT_FOUND: 'Member not found',
  MEMBER_ALREADY_EXISTS: 'This person is already a member',
  PASSWORD_POLICY_VIOLATION: 'The password does not meet the password policy',
};

function messageFor(code: ErrorCode): string {
  return MESSAGES[code] ?? 'The identity provider refused the request';
}
