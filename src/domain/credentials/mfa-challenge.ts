import { DomainError } from '../shared/domain-error.js';

/** How long a person has to answer the second-factor step after the first factor. */
export const MFA_CHALLENGE_TTL_SECONDS = 300;

/** Codes tried against one challenge before it dies (the person starts over with the first factor). */
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5;

/** Ways to answer a challenge. */
export type MfaMethod = 'totp' | 'recovery_code';

/** RFC 8176 values that show a second factor was already used: such a sign-in is not challenged again. */
const SECOND_FACTOR_AMR: readonly string[] = ['otp', 'mfa'];

/**
 * The second-factor step of one sign-in (docs/flows/mfa.md). It is stored as a single-use
 * `mfa_challenge` token whose holder may try up to MFA_CHALLENGE_MAX_ATTEMPTS codes; it is
 * consumed only by a success, or killed by the last failed attempt.
 */
export interface MfaChallenge {
  userId: string;
  /** The organization the sign-in is entering; null for a sign-in without one. */
  tenantId: string | null;
  /** Factors used so far (RFC 8176), e.g. `pwd` or `email`. */
  amr: string[];
  /** The organization requires MFA and the person has none: they must enrol first. */
  enrolmentRequired: boolean;
  /** The identity provider's handle of this sign-in (Stytch); null with the built-in provider. */
  providerSession: string | null;
  /** The session this sign-in replaces once it succeeds (switching organization), else null. */
  succeeds: string | null;
  attempts: number;
  expiresAt: Date;
  consumedAt: Date | null;
}

/**
 * `pending` answers attempts; the others are final. `consumed` covers both ends that burn the
 * token (a success, and the failure that used the last attempt); `exhausted` is a challenge out
 * of attempts whose burn has not landed yet.
 */
export type MfaChallengeState = 'pending' | 'consumed' | 'exhausted' | 'expired';

/** What happens to a challenge. */
export type MfaChallengeEvent = 'attempt_failed' | 'attempt_succeeded';

export function mfaChallengeState(challenge: MfaChallenge, now: Date): MfaChallengeState {
  if (challenge.consumedAt !== null) return 'consumed';
  if (challenge.attempts >= MFA_CHALLENGE_MAX_ATTEMPTS) return 'exhausted';
  return challenge.expiresAt > now ? 'pending' : 'expired';
}

/**
 * The pure transition: a failed attempt counts (the last allowed one kills the challenge), a
 * success consumes it and records the second factor. Only a pending challenge moves;
 * MFA_CHALLENGE_INVALID otherwise. The store applies the same rules atomically.
 */
export function applyMfaChallengeEvent(challenge: MfaChallenge, event: MfaChallengeEvent, now: Date, method: MfaMethod = 'totp'): MfaChallenge {
  if (mfaChallengeState(challenge, now) !== 'pending') throw new DomainError('MFA_CHALLENGE_INVALID', 'This sign-in has expired; start again');
  if (event === 'attempt_succeeded') return { ...challenge, amr: amrWithSecondFactor(challenge.amr, method), consumedAt: now };
  const attempts = challenge.attempts + 1;
  return { ...challenge, attempts, consumedAt: attempts >= MFA_CHALLENGE_MAX_ATTEMPTS ? now : null };
}

/** Whether the factors used already include a second factor. */
export function hasSecondFactor(amr: readonly string[]): boolean {
  return amr.some(isSecondFactor);
}

/**
 * The factors after a successful second step: a TOTP code adds `otp`, and either method adds
 * `mfa` (RFC 8176: more than one factor was used), so relying parties can check one value.
 */
export function amrWithSecondFactor(amr: readonly string[], method: MfaMethod): string[] {
  const added = method === 'totp' ? ['otp', 'mfa'] : ['mfa'];
  return [...new Set([...amr, ...added])];
}

function isSecondFactor(value: string): boolean {
  return SECOND_FACTOR_AMR.includes(value);
}
