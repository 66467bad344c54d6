import { type AuthenticationFactor, type B2BClient, ClientError, type MemberSession } from 'stytch';
import type { ExternalSessionClaims, ExternalSessionVerifier } from '../../../application/ports/external-session-verifier.port.js';
import type { ExternalMember, ExternalOrganization } from '../../../application/ports/identity-directory.port.js';
import type { Clock } from '../../../domain/shared/clock.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { callStytch } from './stytch-client.js';
import { externalMember, externalOrganization, type RoleOf } from './stytch-objects.js';

export interface StytchSessionVerifierSettings {
  projectId: string;
  /** The API base URL when it is not Stytch's own (emulator, custom domain): Stytch issues JWTs under it too. */
  apiUrl?: string | undefined;
  /**
   * Ask Stytch (remote) about JWTs issued longer ago than this, so a revoked session stops within
   * this many seconds instead of the JWT's 5 minutes. Unset: local verification for the whole life.
   */
  maxTokenAgeSeconds?: number | undefined;
  /** Remote checks in flight at once; beyond it the request answers 503 instead of queueing on Stytch. */
  maxRemoteChecks?: number | undefined;
  /** Verified JWTs remembered until they expire. */
  cacheEntries?: number | undefined;
}

/** What the unverified JWT claims; only used to route and to refuse early, never trusted alone. */
interface Peeked {
  sub: string;
  iat: number | null;
  exp: number;
}

interface Verified {
  claims: ExternalSessionClaims;
  /** Epoch ms after which the token must be verified again (its exp, or when it becomes too old). */
  until: number;
}

const SESSION_ERRORS = { session_not_found: 'AUTH_SESSION_REVOKED' } as const;
const DIRECTORY_ERRORS = { member_not_found: 'AUTH_SESSION_REVOKED', organization_not_found: 'AUTH_SESSION_REVOKED' } as const;
/** jose failures (inside the SDK's `jwt_invalid`) where the local check could not decide: keys missing or unreachable. */
const UNDECIDED_JOSE_CODES: ReadonlySet<string> = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);
/** RFC 8176 method per Stytch factor type; second factors also add `mfa` (as Gatehouse's own MFA step does). */
const AMR_OF_FACTOR: Readonly<Record<string, string>> = { password: 'pwd', magic_link: 'email', email_otp: 'email', totp: 'otp', otp: 'sms', sso: 'fed', oauth: 'fed' };
const JOSE_CODE = /^ERR_(JOSE|JWT|JWS|JWK|JWKS|JWE)_/;
const SECOND_FACTORS: ReadonlySet<string> = new Set(['totp', 'otp', 'recovery_codes']);
const HEADER_MEMO_MAX = 64;

/**
 * Accepts Stytch B2B session JWTs as Bearer tokens, with the real SDK.
 *
 * `sessions.authenticateJwtLocal` verifies against the project's JWKS, fetched once and cached by
 * the SDK (jose RemoteJWKSet: refreshed every 10 minutes, and on an unknown `kid` at most every
 * 30 s). Only when the local check cannot decide — a `kid` missing from the JWKS (a rotation the
 * cache has not seen), the JWKS unreachable, or a token older than `maxTokenAgeSeconds` — is
 * Stytch asked with `sessions.authenticate`; a bad signature, a wrong issuer or audience, an expired
 * token or another algorithm is refused here and never reaches Stytch. A token is first checked
 * for shape (RS256, our issuer and audience, not expired) so random bearers cannot make Gatehouse
 * call Stytch, and remote checks are bounded in number: a flood of unknown `kid`s costs 503s, not
 * a queue on Stytch's rate limit.
 *
 * Note Stytch's remote check accepts an expired JWT of a live session (it refreshes it): expiry
 * is therefore always enforced here, before anything else.
 */
export class StytchSessionVerifier implements ExternalSessionVerifier {
  readonly provider = 'stytch';
  private readonly issuers: ReadonlySet<string>;
  private readonly verified = new Map<string, Verified>();
  private readonly headerMemo = new Map<string, boolean>();
  private remoteInFlight = 0;

  constructor(
    private readonly deps: { client: B2BClient; roleOf: RoleOf; clock: Clock },
    private readonly settings: StytchSessionVerifierSettings,
  ) {
    const issuers = [`stytch.com/${settings.projectId}`];
    if (settings.apiUrl) issuers.push(settings.apiUrl.replace(/\/+$/, ''));
    this.issuers = new Set(issuers);
  }

  /**
   * A JWT whose header says RS256 and not `at+jwt`: Gatehouse signs only EdDSA/ES256 `at+jwt`
   * tokens, so nothing of ours is routed here. Only the header is read (memoized: a project has
   * a handful of distinct headers, one per key).
   */
  recognizes(bearer: string): boolean {
    const dot = bearer.indexOf('.');
    if (dot <= 0) return false;
    const header = bearer.slice(0, dot);
    const memo = this.headerMemo.get(header);
    if (memo !== undefined) return memo;
    const parsed = decodeSegment(header);
    const recognized = parsed !== null && parsed['alg'] === 'RS256' && parsed['typ'] !== 'at+jwt';
    if (this.headerMemo.size >= HEADER_MEMO_MAX) this.headerMemo.clear();
    this.headerMemo.set(header, recognized);
    return recognized;
  }

  async verify(bearer: string): Promise<ExternalSessionClaims> {
    const now = this.deps.clock.now();
    const hit = this.verified.get(bearer);
    if (hit) {
      if (now.getTime() < hit.until) return hit.claims;
      this.verified.delete(bearer);
    }
    const peeked = this.peek(bearer, now);
    let claims: ExternalSessionClaims;
    try {
      const session = await this.deps.client.sessions.authenticateJwtLocal({
        session_jwt: bearer,
        current_date: now,
        ...(this.settings.maxTokenAgeSeconds !== undefined ? { max_token_age_seconds: this.settings.maxTokenAgeSeconds } : {}),
      });
      claims = toClaims(session, peeked);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const undecided = undecidedLocally(error);
      if (undecided === null) throw invalid();
      claims = await this.remote(bearer, peeked, undecided === 'too_old');
    }
    this.remember(bearer, claims, peeked);
    return claims;
  }

  async fetchMember(externalOrganizationId: string, externalMemberId: string): Promise<{ member: ExternalMember; organization: ExternalOrganization }> {
    const found = await callStytch(
      'organizations.members.get',
      () => this.deps.client.organizations.members.get({ organization_id: externalOrganizationId, member_id: externalMemberId }),
      DIRECTORY_ERRORS,
    );
    return { member: externalMember(found.member, this.deps.roleOf), organization: externalOrganization(found.organization) };
  }

  /**
   * Asks Stytch; its answer must name the member the token names. Stytch answers
   * `session_not_found` for anything it does not honour: for a token whose signature was already
   * verified here (too old) that is a revoked session, otherwise it may just as well be a forgery.
   */
  private async remote(bearer: string, peeked: Peeked, signatureVerified: boolean): Promise<ExternalSessionClaims> {
    if (this.remoteInFlight >= (this.settings.maxRemoteChecks ?? 32)) {
      throw new DomainError('IDENTITY_PROVIDER_UNAVAILABLE', 'The identity provider is not answering; try again shortly', { provider: 'stytch', operation: 'sessions.authenticate' });
    }
    this.remoteInFlight++;
    try {
      const answer = await callStytch('sessions.authenticate', () => this.deps.client.sessions.authenticate({ session_jwt: bearer }), signatureVerified ? SESSION_ERRORS : {});
      return toClaims(answer.member_session, peeked);
    } catch (error) {
      // Stytch refusing the token (any other 4xx) means the token is bad, not that Stytch is broken.
      if (error instanceof DomainError && error.code === 'IDENTITY_PROVIDER_REJECTED') throw invalid();
      throw error;
    } finally {
      this.remoteInFlight--;
    }
  }

  /** Verified until its exp, or until it becomes too old for a local check. Bounded; oldest out. */
  private remember(bearer: string, claims: ExternalSessionClaims, peeked: Peeked): void {
    const maxAge = this.settings.maxTokenAgeSeconds;
    const until = Math.min(peeked.exp * 1000, maxAge !== undefined && peeked.iat !== null ? (peeked.iat + maxAge) * 1000 : Infinity);
    if (until <= this.deps.clock.now().getTime()) return;
    if (this.verified.size >= (this.settings.cacheEntries ?? 10_000)) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(bearer, { claims, until });
  }

  /** The unverified claims, refused early unless shaped like one of this project's live session JWTs. */
  private peek(bearer: string, now: Date): Peeked {
    const parts = bearer.split('.');
    if (parts.length !== 3) throw invalid();
    const header = decodeSegment(parts[0] ?? '');
    const payload = decodeSegment(parts[1] ?? '');
    if (!header || !payload || header['alg'] !== 'RS256' || typeof header['kid'] !== 'string') throw invalid();
    const aud = payload['aud'];
    const audiences = Array.isArray(aud) ? aud : [aud];
    const { iss, sub, exp, iat } = payload;
    if (typeof iss !== 'string' || !this.issuers.has(iss) || !audiences.includes(this.settings.projectId)) throw invalid();
    if (typeof sub !== 'string' || typeof exp !== 'number' || exp * 1000 <= now.getTime()) throw invalid();
    return { sub, exp, iat: typeof iat === 'number' ? iat : null };
  }
}

function toClaims(session: MemberSession, peeked: Peeked): ExternalSessionClaims {
  if (session.member_id !== peeked.sub || !session.member_session_id || !session.organization_id) throw invalid();
  return {
    sessionId: session.member_session_id,
    externalMemberId: session.member_id,
    externalOrganizationId: session.organization_id,
    amr: amrOf(session.authentication_factors ?? []),
    expiresAt: new Date(peeked.exp * 1000),
  };
}

function amrOf(factors: readonly AuthenticationFactor[]): string[] {
  const amr = new Set<string>();
  for (const factor of factors) {
    const method = AMR_OF_FACTOR[factor.type];
    if (method) amr.add(method);
    if (SECOND_FACTORS.has(factor.type)) amr.add('mfa');
  }
  return [...amr];
}

/**
 * Why the local check could not decide, or null when it did (the token is bad). The SDK wraps every
 * local failure in ClientError: `jwt_too_old` (signature already verified), or `jwt_invalid` with
 * jose's error as cause.
 */
function undecidedLocally(error: unknown): 'too_old' | 'no_key' | null {
  if (!(error instanceof ClientError)) return null;
  if (error.code === 'jwt_too_old') return 'too_old';
  const cause: unknown = error.cause;
  if (typeof cause !== 'object' || cause === null) return null;
  const code = (cause as { code?: unknown }).code;
  // jose's own errors decide (bad signature, claims, expiry) unless they say the keys were missing;
  // anything else (ECONNREFUSED, a timeout of the socket) is the JWKS fetch failing.
  if (typeof code === 'string' && JOSE_CODE.test(code)) return UNDECIDED_JOSE_CODES.has(code) || (code === 'ERR_JOSE_GENERIC' && isJwksFetchFailure(cause)) ? 'no_key' : null;
  return 'no_key';
}

/** jose reports a non-200 or unparsable JWKS response as a generic error. */
function isJwksFetchFailure(cause: object): boolean {
  const message = (cause as { message?: unknown }).message;
  return typeof message === 'string' && message.includes('JSON Web Key Set');
}

function decodeSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function invalid(): DomainError {
  return new DomainError('AUTH_TOKEN_INVALID', 'The session token is invalid or expired');
}
