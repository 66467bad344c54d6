import { randomUUID } from 'node:crypto';
import { compactVerify, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { AuthenticationFactor, JWK } from 'stytch';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** What a Stytch member-session JWT says, in the emulator's terms. */
export interface SessionJwtClaims {
  memberSessionId: string;
  memberId: string;
  organizationId: string;
  organizationSlug: string;
  startedAt: string;
  lastAccessedAt: string;
  expiresAt: string;
  authenticationFactors: AuthenticationFactor[];
  roles: string[];
  issuedAt: Date;
  /** Stytch: 300 (5 minutes). */
  expiresInSeconds: number;
}

const SESSION_CLAIM = 'https://stytch.com/session';
const ORGANIZATION_CLAIM = 'https://stytch.com/organization';

/**
 * Signs session JWTs like Stytch (RS256, `kid`, `iss = stytch.com/{project_id}`,
 * `aud = [project_id]`, the two `https://stytch.com/…` claims) with a key pair made at start,
 * and publishes the public half as the project's JWKS, so the SDK's `authenticateJwtLocal`
 * verifies them for real.
 */
export class SessionJwtSigner {
  private constructor(
    private readonly projectId: string,
    private readonly kid: string,
    private readonly privateKey: KeyPair['privateKey'],
    private readonly publicKey: KeyPair['publicKey'],
    private readonly publicJwk: JWK,
  ) {}

  static async create(projectId: string): Promise<SessionJwtSigner> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
    const kid = `jwk-test-${randomUUID()}`;
    const exported = await exportJWK(publicKey);
    const jwk: JWK = { kty: 'RSA', use: 'sig', key_ops: ['verify'], alg: 'RS256', kid, x5c: [], x5tS256: '', n: exported.n ?? '', e: exported.e ?? '' };
    return new SessionJwtSigner(projectId, kid, privateKey, publicKey, jwk);
  }

  get issuer(): string {
    return `stytch.com/${this.projectId}`;
  }

  jwks(): JWK[] {
    return [{ ...this.publicJwk, key_ops: [...this.publicJwk.key_ops], x5c: [] }];
  }

  async sign(claims: SessionJwtClaims): Promise<string> {
    const iat = Math.floor(claims.issuedAt.getTime() / 1000);
    return new SignJWT({
      [SESSION_CLAIM]: {
        id: claims.memberSessionId,
        started_at: claims.startedAt,
        last_accessed_at: claims.lastAccessedAt,
        expires_at: claims.expiresAt,
        attributes: { ip_address: '', user_agent: '' },
        authentication_factors: claims.authenticationFactors,
        roles: claims.roles,
      },
      [ORGANIZATION_CLAIM]: { organization_id: claims.organizationId, slug: claims.organizationSlug },
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience([this.projectId])
      .setSubject(claims.memberId)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + claims.expiresInSeconds)
      .sign(this.privateKey);
  }

  /**
   * The session id of a JWT this emulator signed, or null. Like Stytch's authenticate
   * endpoint it checks the signature, issuer and audience but not `exp`: an expired JWT of a
   * live session is refreshed.
   */
  async sessionIdOf(jwt: string): Promise<string | null> {
    try {
      const { payload } = await compactVerify(jwt, this.publicKey);
      const claims = JSON.parse(new TextDecoder().decode(payload)) as { iss?: unknown; aud?: unknown; [SESSION_CLAIM]?: { id?: unknown } };
      const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (claims.iss !== this.issuer || !audiences.includes(this.projectId)) return null;
      const id = claims[SESSION_CLAIM]?.id;
      return typeof id === 'string' ? id : null;
    } catch {
      return null;
    }
  }
}
