import type { AuthenticationFactor, Member, MemberSession, MfaRequired, Organization } from 'stytch';

/** The emulator's records: what Stytch keeps server-side, beside the objects its API returns. */

/** A member plus what Stytch keeps beside it (credentials, email id). */
export interface MemberRecord {
  member: Member;
  directRoles: string[];
  emailId: string;
  password: PasswordVerifier | null;
  totp: TotpRegistration | null;
}

/** A stored password: hashed here (set or reset through Stytch) or imported with `passwords.migrate` (scrypt). */
export type PasswordVerifier = { kind: 'sha256'; hash: Buffer } | { kind: 'scrypt'; hash: Buffer; salt: Buffer; n: number; r: number; p: number };

export interface TotpRegistration {
  id: string;
  secret: string;
  /** Set by the first successful authenticate; only then is it the member's `totp_registration_id`. */
  verified: boolean;
  recoveryCodes: string[];
  /** Highest TOTP step accepted so far: a code of this step or older is a replay. */
  lastUsedStep: number;
}

export interface SessionRecord {
  id: string;
  memberId: string;
  organizationId: string;
  token: string;
  startedAt: Date;
  lastAccessedAt: Date;
  expiresAt: Date;
  factors: AuthenticationFactor[];
  revoked: boolean;
}

/** An intermediate session token: who proved what, and (after a partial login) for which member. */
export interface IntermediateRecord {
  token: string;
  emailAddress: string;
  factors: AuthenticationFactor[];
  expiresAt: Date;
  consumed: boolean;
  organizationId: string | null;
  memberId: string | null;
}

export type EmailTokenKind = 'discovery' | 'invite' | 'password_reset' | 'discovery_password_reset';

/** A token Stytch would have sent by email (magic link, invite, password reset). */
export interface EmailToken {
  token: string;
  kind: EmailTokenKind;
  emailAddress: string;
  organizationId: string | null;
  memberId: string | null;
  expiresAt: Date;
  consumed: boolean;
  /** The link the email would carry: redirect URL + `stytch_token_type` + `token` (null without a redirect URL). */
  link: string | null;
}

export interface OrganizationInput {
  name: string;
  slug?: string | undefined;
  mfaPolicy?: string | undefined;
  emailAllowedDomains?: string[] | undefined;
  emailJitProvisioning?: string | undefined;
}

export interface MemberInput {
  email: string;
  name?: string | undefined;
  password?: string | undefined;
  roles?: string[] | undefined;
  status?: string | undefined;
  emailVerified?: boolean | undefined;
}

/** Outcome of a primary (or primary + MFA) authentication into one organization. */
export interface LoginOutcome {
  member_id: string;
  member: Member;
  organization: Organization;
  session_token: string;
  session_jwt: string;
  member_authenticated: boolean;
  intermediate_session_token: string;
  member_session?: MemberSession;
  mfa_required?: MfaRequired;
  intermediate_session_token_expires_at?: string;
}
