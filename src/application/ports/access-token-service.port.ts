/** Claims Gatehouse puts in an access token (besides iss, aud, iat, exp, typ). */
export interface AccessClaims {
  /** User id. */
  sub: string;
  /** Tenant id, or null before an organization is chosen. */
  org: string | null;
  /** Membership id in `org`. */
  member: string | null;
  roles: string[];
  /** Session id (refresh family). */
  sid: string;
  amr: string[];
}

/** A verified access token's claims. */
export interface VerifiedAccessToken extends AccessClaims {
  jti: string;
  exp: number;
}

/** Issues and verifies Gatehouse access tokens (JWT, `typ: at+jwt`). */
export interface AccessTokenService {
  /** Signs a token with the active key; it expires after the configured lifetime, or at `notAfter` if sooner. */
  issue(claims: AccessClaims, notAfter?: Date | null): Promise<{ token: string; expiresIn: number; jti: string }>;
  /** Verifies signature, algorithm, typ, iss, aud and expiry; AUTH_TOKEN_INVALID otherwise. */
  verify(token: string): Promise<VerifiedAccessToken>;
  /** The public JWKS (active and still-verifying keys). */
  jwks(): Promise<{ keys: Record<string, string>[] }>;
  /** Makes a new active key; the previous one keeps verifying until its tokens expire. */
  rotate(): Promise<{ kid: string }>;
}
