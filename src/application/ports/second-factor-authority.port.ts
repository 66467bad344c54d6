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

/**
 * Where a second factor is used. The built-in provider keeps factors per user and ignores it;
 * Stytch keeps them per member of an organization and needs the organization (and, to add the
 * factor to a sign-in, the provider's handle of that sign-in).
 */
export interface SecondFactorScope {
  tenantId: string | null;
  providerSession: string | null;
}

/** TOTP and recovery codes: the second-factor half of an IdentityProvider. */
export interface SecondFactorAuthority {
  /** Factors the user has enrolled. */
  mfaEnrolment(userId: string, scope?: SecondFactorScope): Promise<MfaEnrolment>;
  /** Starts (or restarts) TOTP enrolment; nothing is active until confirmed. */
  beginTotpEnrolment(userId: string, label: string, scope?: SecondFactorScope): Promise<TotpSetup>;
  /**
   * Confirms enrolment with a valid code; returns 10 recovery codes, shown once. MFA_CODE_INVALID
   * otherwise. `providerSession`: the provider's upgraded handle of the sign-in, when it made one.
   */
  confirmTotpEnrolment(userId: string, code: string, scope?: SecondFactorScope): Promise<{ recoveryCodes: string[]; providerSession?: string | null }>;
  /**
   * Accepts a TOTP code once (a replayed code is refused); MFA_CODE_INVALID otherwise. Returns the
   * provider's new handle of the sign-in when the provider upgraded it (Stytch), else null.
   */
  verifyTotp(userId: string, code: string, scope?: SecondFactorScope): Promise<string | null>;
  /** Spends a recovery code (single use); MFA_CODE_INVALID otherwise. Returns like verifyTotp. */
  verifyRecoveryCode(userId: string, code: string, scope?: SecondFactorScope): Promise<string | null>;
  /** Removes TOTP and recovery codes. Callers re-authenticate first. */
  disableTotp(userId: string, scope?: SecondFactorScope): Promise<void>;
  /** Replaces all recovery codes; returns the new ones, shown once. Callers re-authenticate first. */
  regenerateRecoveryCodes(userId: string, scope?: SecondFactorScope): Promise<string[]>;
}
