/** The second factors a user has set up. */
export interface MfaEnrolment {
  totp: boolean;
  recoveryCodesRemaining: number;
}

/** What an authenticator app needs to enrol. */
export interface TotpSetup {
  secret: string;
  /** otpauth:// URI. */
  uri: string;
  /** The URI as a PNG QR code data URL. */
  qrCodeDataUrl: string;
}

/** TOTP and recovery codes: the second-factor half of an IdentityProvider. */
export interface SecondFactorAuthority {
  /** Factors the user has enrolled. */
  mfaEnrolment(userId: string): Promise<MfaEnrolment>;
  /** Starts (or restarts) TOTP enrolment; nothing is active until confirmed. */
  beginTotpEnrolment(userId: string, label: string): Promise<TotpSetup>;
  /** Confirms enrolment with a valid code; returns 10 recovery codes, shown once. MFA_CODE_INVALID otherwise. */
  confirmTotpEnrolment(userId: string, code: string): Promise<{ recoveryCodes: string[] }>;
  /** Accepts a TOTP code once (a replayed code is refused); MFA_CODE_INVALID otherwise. */
  verifyTotp(userId: string, code: string): Promise<void>;
  /** Spends a recovery code (single use); MFA_CODE_INVALID otherwise. */
  verifyRecoveryCode(userId: string, code: string): Promise<void>;
  /** Removes TOTP and recovery codes. Callers re-authenticate first. */
  disableTotp(userId: string): Promise<void>;
  /** Replaces all recovery codes; returns the new ones, shown once. Callers re-authenticate first. */
  regenerateRecoveryCodes(userId: string): Promise<string[]>;
}
