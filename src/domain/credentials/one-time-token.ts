/** What a single-use token may be spent on; a token is bound to exactly one purpose. */
export type OneTimeTokenPurpose = 'intermediate_session' | 'email_verification' | 'activation' | 'password_reset' | 'magic_link' | 'invitation' | 'mfa_challenge';

/**
 * A single-use secret handed to a person (a link, a challenge). Only its SHA-256
 * is stored; it is consumed atomically in the store, never checked then updated.
 */
export interface OneTimeToken {
  id: string;
  purpose: OneTimeTokenPurpose;
  tokenHash: string;
  userId: string | null;
  email: string | null;
  tenantId: string | null;
  payload: Record<string, string | number | boolean | null>;
  createdAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
}
