import { DomainError, isDomainError } from '../../../domain/shared/domain-error.js';
import { callStytch } from './stytch-client.js';

/** Stytch error types that mean "these credentials are wrong", per flow; everything else keeps its translation. */
const CREDENTIAL_ERRORS = { unauthorized_credentials: 'INVALID_CREDENTIALS', member_not_found: 'INVALID_CREDENTIALS', email_not_found: 'INVALID_CREDENTIALS', invalid_email: 'INVALID_CREDENTIALS' } as const;
const MAGIC_LINK_ERRORS = { magic_link_not_found: 'MAGIC_LINK_INVALID', unable_to_auth_magic_link: 'MAGIC_LINK_INVALID', invalid_token: 'MAGIC_LINK_INVALID' } as const;
const RESET_ERRORS = { password_reset_token_not_found: 'RESET_TOKEN_INVALID', unable_to_reset_password: 'RESET_TOKEN_INVALID', magic_link_not_found: 'RESET_TOKEN_INVALID', invalid_token: 'RESET_TOKEN_INVALID' } as const;
const CODE_ERRORS = { otp_code_not_found: 'MFA_CODE_INVALID', totp_code_used: 'MFA_CODE_INVALID', recovery_code_not_found: 'MFA_CODE_INVALID', invalid_code: 'MFA_CODE_INVALID', totp_not_found: 'MFA_NOT_ENABLED' } as const;
export const SESSION_ERRORS = { intermediate_session_not_found: 'INTERMEDIATE_TOKEN_INVALID', session_not_found: 'AUTH_SESSION_REVOKED', member_not_found: 'MEMBER_NOT_FOUND', organization_not_found: 'TENANT_NOT_FOUND' } as const;

/** Credential checks: every refusal is INVALID_CREDENTIALS (enumeration-safe); an outage stays an outage. */
export function credentialCheck<T>(call: () => Promise<T>): Promise<T> {
  return failAs('INVALID_CREDENTIALS', 'passwords.discovery.authenticate', call, CREDENTIAL_ERRORS);
}

/** Runs a call in which any refusal by Stytch means one flow-specific code (a token spent, expired or unknown). */
export async function failAs<T>(code: 'INVALID_CREDENTIALS' | 'MAGIC_LINK_INVALID' | 'RESET_TOKEN_INVALID' | 'MFA_CODE_INVALID', operation: string, call: () => Promise<T>, errors: Record<string, string> = {}): Promise<T> {
  const table = { ...MAGIC_LINK_ERRORS, ...RESET_ERRORS, ...CODE_ERRORS, ...errors };
  try {
    return await callStytch(operation, call, table as never);
  } catch (error) {
    if (isDomainError(error, 'IDENTITY_PROVIDER_UNAVAILABLE')) throw error;
    if (isDomainError(error, code)) throw error;
    if (isDomainError(error)) throw new DomainError(code, messageOf(code), error.details);
    throw error;
  }
}

/** "Start" calls are silent for unknown addresses (ADR 0005); only an outage is reported. */
export async function silentUnlessDown(operation: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await callStytch(operation, call);
  } catch (error) {
    if (isDomainError(error, 'IDENTITY_PROVIDER_UNAVAILABLE')) throw error;
  }
}

function messageOf(code: string): string {
  switch (code) {
    case 'INVALID_CREDENTIALS':
      return 'Email or password is incorrect';
    case 'MAGIC_LINK_INVALID':
      return 'This sign-in link is invalid or has expired';
    case 'RESET_TOKEN_INVALID':
      return 'This reset link is invalid or has expired';
    default:
      return 'The code is invalid or has expired';
  }
}

export function unsupported(message: string): DomainError {
  return new DomainError('IDENTITY_CAPABILITY_UNSUPPORTED', message);
}
