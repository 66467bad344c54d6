import type { ExternalMember, ExternalOrganization } from './identity-directory.port.js';

/** What a verified session token of the external identity provider (Stytch) says, in Gatehouse's terms. */
export interface ExternalSessionClaims {
  /** The provider's session id (Stytch `member_session_id`); stable for the session's whole life. */
  sessionId: string;
  /** The provider's member id (Stytch `member_id`): the link to the local membership. */
  externalMemberId: string;
  /** The provider's organization id the session belongs to (Stytch `organization_id`). */
  externalOrganizationId: string;
  /** RFC 8176 methods of the factors the session was authenticated with (`pwd`, `email`, `otp`, `mfa`, …). */
  amr: string[];
  /** When this token stops being acceptable (the JWT's `exp`); nothing may treat it as verified later. */
  expiresAt: Date;
}

/**
 * Accepts the identity provider's own session tokens (Stytch session JWTs) as Bearer tokens
 * next to Gatehouse's access tokens. Bound only when an external provider is configured.
 */
export interface ExternalSessionVerifier {
  /** Short name of the provider; the Principal's session id is `<provider>:<sessionId>`. */
  readonly provider: string;
  /**
   * Whether this bearer is the provider's token, from its unverified shape alone (synchronous and
   * cheap: it runs before every Gatehouse token is verified). Never true for a Gatehouse token.
   */
  recognizes(bearer: string): boolean;
  /**
   * Verifies signature, algorithm, issuer, audience and expiry (locally against the provider's
   * published keys when it can, asking the provider only when the local check cannot decide).
   * AUTH_TOKEN_INVALID for a bad or expired token, AUTH_SESSION_REVOKED for a session the
   * provider ended, IDENTITY_PROVIDER_UNAVAILABLE when it had to be asked and did not answer.
   */
  verify(bearer: string): Promise<ExternalSessionClaims>;
  /**
   * Reads a member and its organization from the provider, for a just-in-time sync of a member
   * the local mirror does not know yet. AUTH_SESSION_REVOKED when the provider no longer has it.
   */
  fetchMember(externalOrganizationId: string, externalMemberId: string): Promise<{ member: ExternalMember; organization: ExternalOrganization }>;
}
