/** RFC 6238 parameters every authenticator app understands (SHA-1, 6 digits, 30 s). */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/**
 * Steps accepted either side of the current one: a phone clock a little off, or a code typed
 * just as it rolled over. One step each way keeps a code valid for at most 90 s.
 */
export const TOTP_DRIFT_STEPS = 1;

/**
 * A user's authenticator-app factor. Created pending by setup and active once confirmed with a
 * valid code; one per user. `lastUsedStep` is the time step of the newest accepted code: a code
 * of that step or an earlier one is refused, so a code is good once (replay protection).
 */
export interface TotpFactor {
  /** Changes with every setup, so confirming a stale setup cannot activate a newer secret. */
  id: string;
  userId: string;
  /** The shared secret as the adapter stores it: sealed when an encryption key is configured. */
  secret: string;
  createdAt: Date;
  /** Null while pending: a pending factor is never asked for at sign-in. */
  confirmedAt: Date | null;
  lastUsedStep: number | null;
}

/** The RFC 6238 time step an instant falls in. */
export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * A typed code as exactly six digits (spaces and dashes, which apps show for readability,
 * removed), or null when it cannot be a code. Callers refuse null without asking the OTP
 * library, which throws on malformed input.
 */
export function normalizeTotpCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return digits.length === TOTP_DIGITS && /^[0-9]+$/.test(digits) ? digits : null;
}

/** Whether a factor asks for a code at sign-in. */
export function isTotpActive(factor: TotpFactor | null): factor is TotpFactor & { confirmedAt: Date } {
  return factor !== null && factor.confirmedAt !== null;
}
