import type { SessionLifetimes } from '../../domain/credentials/session.js';
import type { PasswordPolicy } from '../../domain/credentials/password-policy.js';

/** Tunables of sign-in, chosen by configuration in the composition root. */
export interface AuthSettings {
  sessions: SessionLifetimes;
  /** Lifetime of the token that lets a person pick an organization after a first factor. */
  intermediateTokenTtlSeconds: number;
  passwordPolicy: PasswordPolicy;
}
