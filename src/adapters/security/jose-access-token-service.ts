import { randomUUID } from 'node:crypto';
import { errors, type CryptoKey, type JWTPayload, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type KeyObject } from 'jose';
import type { AccessClaims, AccessTokenService, VerifiedAccessToken } from '../../application/ports/access-token-service.port.js';
import type { SigningKeyRepository } from '../../application/ports/signing-key-repository.port.js';
import type { Clock } from '../../domain/shared/clock.js';
import { KEY_RELOAD_SECONDS, type SigningKey, stillVerifies } from '../../domain/credentials/signing-key.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { SigningKeyCodec } from './signing-key-codec.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

type Key = CryptoKey | KeyObject | Uint8Array;
interface LoadedKey {
  record: SigningKey;
  verifyKey: Key;
  signKey: Key | null;
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  algorithm: 'EdDSA' | 'ES256';
  ttlSeconds: number;
}

const ALLOWED_ALGORITHMS = ['EdDSA', 'ES256'];
const RELOAD_MIN_INTERVAL_MS = 5_000;

/**
 * Access tokens as JWTs (`typ: at+jwt`, RFC 9068) signed with persisted keys.
 * Verification accepts only our algorithms, issuer, audience and typ; an unknown
 * `kid` triggers a (throttled) reload so keys rotated by another node verify too.
 * Before signing, keys older than KEY_RELOAD_SECONDS are reloaded, so a key retired
 * elsewhere stops signing here within that interval. Intervals follow the injected clock.
 */
export class JoseAccessTokenService implements AccessTokenService {
  private keys = new Map<string, LoadedKey>();
  private active: LoadedKey | null = null;
  private lastLoad = 0;
  private readonly cache = new VerifiedTokenCache<VerifiedAccessToken>(50_000);

  constructor(
    private readonly repo: SigningKeyRepository,
    private readonly codec: SigningKeyCodec,
    private readonly clock: Clock,
    private readonly settings: TokenSettings,
  ) {}

  /** Loads keys, creating the first one on a fresh database. */
  async init(): Promise<void> {
    await this.reload();
    if (!this.active) await this.rotate();
  }

  async issue(claims: AccessClaims, notAfter: Date | null = null): Promise<{ token: string; expiresIn: number; jti: string }> {
    if (this.active && this.sinceLoadMs() > KEY_RELOAD_SECONDS * 1000) await this.reload();
    const key = this.active ?? (await this.init(), this.active);
    if (!key?.signKey) throw new Error('no active signing key');
    const jti = randomUUID();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const expiresIn = notAfter ? Math.max(0, Math.min(this.settings.ttlSeconds, Math.floor(notAfter.getTime() / 1000) - now)) : this.settings.ttlSeconds;
    const token = await new SignJWT({ org: claims.org, member: claims.member, roles: claims.roles, sid: claims.sid, amr: claims.amr })
      .setProtectedHeader({ alg: key.record.algorithm, typ: 'at+jwt', kid: key.record.kid })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(claims.sub)
      .setJti(jti)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .sign(key.signKey);
    return { token, expiresIn, jti };
  }

  async verify(token: string): Promise<VerifiedAccessToken> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const cached = this.cache.get(token, nowSeconds);
    if (cached) return cached;
    try {
      const { payload } = await jwtVerify(token, (header) => this.keyFor(header.kid), {
        algorithms: ALLOWED_ALGORITHMS,
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: 'at+jwt',
        currentDate: new Date(nowSeconds * 1000),
        requiredClaims: ['sub', 'jti', 'exp', 'sid'],
      });
      const claims = toClaims(payload);
      this.cache.set(token, claims);
      return claims;
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof DomainError || error instanceof TypeError) {
        throw new DomainError('AUTH_TOKEN_INVALID', 'Access token is invalid or expired');
      }
      throw error;
    }
  }

  async jwks(): Promise<{ keys: Record<string, string>[] }> {
    const now = this.clock.now();
    if (this.sinceLoadMs() > KEY_RELOAD_SECONDS * 1000) await this.reload();
    return {
      keys: [...this.keys.values()]
        .filter((k) => stillVerifies(k.record, now, this.settings.ttlSeconds))
        .map((k) => ({ ...k.record.publicJwk, kid: k.record.kid, alg: k.record.algorithm, use: 'sig' })),
    };
  }

  async rotate(): Promise<{ kid: string }> {
    const now = this.clock.now();
    const { publicKey, privateKey } = await generateKeyPair(this.settings.algorithm, { extractable: true, crv: this.settings.algorithm === 'EdDSA' ? 'Ed25519' : undefined });
    const kid = randomUUID();
    const publicJwk = Object.fromEntries(Object.entries(await exportJWK(publicKey)).map(([k, v]) => [k, String(v)]));
    const record: SigningKey = {
      kid,
      algorithm: this.settings.algorithm,
      publicJwk,
      privateKey: this.codec.seal(JSON.stringify(await exportJWK(privateKey))),
      status: 'active',
      createdAt: now,
      retiredAt: null,
    };
    const existing = await this.repo.list();
    for (const old of existing.filter((k) => k.status === 'active')) await this.repo.save({ ...old, status: 'retiring', retiredAt: now });
    const expired = existing.filter((k) => k.status === 'retiring' && !stillVerifies(k, now, this.settings.ttlSeconds)).map((k) => k.kid);
    if (expired.length > 0) await this.repo.delete(expired);
    await this.repo.save(record);
    await this.reload();
    return { kid };
  }

  private async keyFor(kid: string | undefined): Promise<Key> {
    if (!kid) throw new DomainError('AUTH_TOKEN_INVALID', 'missing kid');
    let key = this.keys.get(kid);
    if (!key && this.sinceLoadMs() > RELOAD_MIN_INTERVAL_MS) {
      await this.reload();
      key = this.keys.get(kid);
    }
    if (!key || !stillVerifies(key.record, this.clock.now(), this.settings.ttlSeconds)) throw new DomainError('AUTH_TOKEN_INVALID', 'unknown kid');
    return key.verifyKey;
  }

  private sinceLoadMs(): number {
    return this.clock.now().getTime() - this.lastLoad;
  }

  private async reload(): Promise<void> {
    this.lastLoad = this.clock.now().getTime();
    const records = await this.repo.list();
    const next = new Map<string, LoadedKey>();
    for (const record of records) {
      const known = this.keys.get(record.kid);
      const signKey = record.status === 'active' ? (known?.signKey ?? (await importJWK(JSON.parse(this.codec.open(record.privateKey)), record.algorithm))) : null;
      const verifyKey = known?.verifyKey ?? (await importJWK({ ...record.publicJwk }, record.algorithm));
      next.set(record.kid, { record, verifyKey, signKey });
    }
    this.keys = next;
    this.active = [...next.values()].filter((k) => k.record.status === 'active').sort((a, b) => b.record.createdAt.getTime() - a.record.createdAt.getTime())[0] ?? null;
  }
}

function toClaims(payload: JWTPayload): VerifiedAccessToken {
  const strings = (v: unknown): string[] => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : []);
  const nullableString = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
    throw new DomainError('AUTH_TOKEN_INVALID', 'malformed claims');
  }
  return {
    sub: payload.sub,
    org: nullableString(payload['org']),
    member: nullableString(payload['member']),
    roles: strings(payload['roles']),
    sid: payload.sid,
    amr: strings(payload['amr']),
    jti: payload.jti,
    exp: payload.exp,
  };
}
