import { DomainError } from '../shared/domain-error.js';

/** Settings of the password rule (NIST SP 800-63B: length, no composition rules). */
export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, maxLength: 1024 };

/**
 * Checks a new password. Length is counted in Unicode code points, and the
 * password is never truncated: what the user typed is what gets hashed.
 */
export function assertPasswordAcceptable(password: string, policy: PasswordPolicy, isCommon: (password: string) => boolean = () => false): void {
  const length = [...password].length;
  if (length < policy.minLength) {
    throw new DomainError('PASSWORD_POLICY_VIOLATION', `Password must be at least ${policy.minLength} characters`, { reason: 'too_short', minLength: policy.minLength });
  }
  if (length > policy.maxLength) {
    throw new DomainError('PASSWORD_POLICY_VIOLATION', `Password must be at most ${policy.maxLength} characters`, { reason: 'too_long', maxLength: policy.maxLength });
  }
  if (isCommon(password)) {
    throw new DomainError('PASSWORD_POLICY_VIOLATION', 'This password is too common; choose another', { reason: 'common' });
  }
}
