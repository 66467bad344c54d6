import type { SystemRole } from '../../domain/tenancy/system-role.js';
import type { User } from '../../domain/tenancy/user.js';
import type { SecondFactorAuthority } from './second-factor-authority.port.js';

/** Things an identity provider may or may not be able to do; the API answers IDENTITY_CAPABILITY_UNSUPPORTED for the rest. */
export type IdentityCapability =
  | 'registration'
  | 'password'
  | 'magic_link'
  | 'totp'
  | 'recovery_codes'
  | 'password_reset'
  | 'email_verification'
  | 'activation'
  /** Passwords are hashed and checked here, slowly and locally, so sign-in can read ahead meanwhile (no remote calls). */
  | 'local_password_check';

/** A person the provider authenticated with a first factor. */
export interface VerifiedIdentity {
  /** The local (mirrored) user id. */
  userId: string;
  email: string;
  /** Authentication methods used, RFC 8176 values (`pwd`, `email`, `otp`, `mfa`). */
  amr: string[];
  /** The provider's own session to revoke with ours (Stytch); null when Gatehouse is the provider. */
  providerSession: string | null;
  /**
   * Set when this was the first proof of the account's mailbox and the provider removed a password set
   * before it (by whoever registered the address, maybe not its owner): the caller ends every session.
   */
  mailboxClaimed?: boolean;
}

/** What a pending activation looks like before it is used (GET /auth/activation). */
export interface ActivationPreview {
  email: string;
  organization: { id: string; slug: string; name: string } | null;
}

/**
 * The authentication authority: who checks first factors, second factors and the
 * email-link flows. Gatehouse's built-in engine and Stytch both implement it, and
 * both must pass test/contracts/identity-provider.contract.ts. Use cases turn its
 * results into Gatehouse sessions; they never see which provider answered.
 */
/** What an invitation mail says of itself. */
export interface InvitationDetails {
  /** Who invited the person (their name, or their address), absent for a purchase. */
  inviterName?: string;
  role?: SystemRole;
}

export interface IdentityProvider extends SecondFactorAuthority {
  readonly name: 'builtin' | 'stytch';
  supports(capability: IdentityCapability): boolean;

  /**
   * Checks email + password. Every failure is INVALID_CREDENTIALS after the same work, known email or not.
   * `account` is the caller's own lookup of the local user with this normalized email, already under way:
   * a provider that checks locally uses it instead of reading the user a second time; others ignore it.
   */
  verifyPassword(email: string, password: string, account?: Promise<User | null>): Promise<VerifiedIdentity>;
  /** Checks a signed-in user's current password (password change, re-authentication). */
  checkPassword(userId: string, password: string): Promise<boolean>;
  /** Replaces a user's password (policy-checked: PASSWORD_POLICY_VIOLATION). */
  setPassword(userId: string, password: string): Promise<void>;

  /** Sends a discovery magic link. Silent for every email (enumeration-safe); the link creates no account by itself. */
  sendMagicLink(email: string, redirectUrl: string | null): Promise<void>;
  /** Spends a magic-link or invitation token (once). MAGIC_LINK_INVALID when unknown, used or expired. The email counts as verified. */
  verifyMagicLink(token: string): Promise<VerifiedIdentity>;

  /** Sends a verification link to the user's email if it is not verified yet. */
  startEmailVerification(userId: string): Promise<void>;
  /**
   * Tells the owner of an existing account that someone registered its address again, with a sign-in
   * link (a magic link: on an account whose mailbox was never proved, following it takes the password
   * someone else may have chosen). Nothing for a disabled account. Built-in only, like registration.
   */
  sendAccountExists(userId: string): Promise<void>;
  /** Spends a verification token; VERIFICATION_TOKEN_INVALID otherwise. */
  completeEmailVerification(token: string): Promise<VerifiedIdentity>;

  /** Sends a reset link if the email belongs to an account; silent otherwise. */
  startPasswordReset(email: string): Promise<void>;
  /** Spends a reset token and sets the new password; RESET_TOKEN_INVALID otherwise. Does not sign in. */
  completePasswordReset(token: string, newPassword: string): Promise<{ userId: string }>;

  /**
   * Mails an account that never proved its mailbox an invitation into an organization: a sign-in link (72 h)
   * that `verifyMagicLink` accepts. Following it proves the mailbox and so accepts the invitation
   * (domain/tenancy/membership-grant.ts). The mail names who invited them and with which role, when known.
   * Capability `activation`.
   */
  sendInvitation(userId: string, tenantId: string, invitation?: InvitationDetails): Promise<void>;
  /** Issues an activation for an invited or provisioned account (72 h) and mails it. */
  startActivation(userId: string, tenantId: string | null): Promise<void>;
  /** Sends the pending activation again with a fresh token; silent when none is pending or the email is unknown. */
  resendActivation(email: string): Promise<void>;
  /** Reads a pending activation without spending it; ACTIVATION_TOKEN_INVALID otherwise. */
  previewActivation(token: string): Promise<ActivationPreview>;
  /** Spends an activation token: sets password and name, activates the account. */
  completeActivation(token: string, password: string, name: string): Promise<VerifiedIdentity & { tenantId: string | null }>;

  /**
   * Called once Gatehouse has decided which organization a sign-in enters, right before it
   * starts its own session: turns the sign-in's provider handle into the provider's session in
   * that organization (Stytch: exchange the intermediate session, or switch a member session)
   * and returns the handle to store with Gatehouse's session. Null: nothing to bind (built-in).
   */
  openSession(input: { userId: string; tenantId: string | null; providerSession: string | null }): Promise<string | null>;
  /** Whether the provider still honours a stored session handle (refresh re-checks it). */
  checkProviderSession(providerSession: string): Promise<boolean>;
  /** Ends the provider-side session, if any (no-op for the built-in provider). */
  revokeProviderSession(providerSession: string): Promise<void>;
}
