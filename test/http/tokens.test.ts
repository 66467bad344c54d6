import { createLocalJWKSet, jwtVerify, SignJWT, generateKeyPair, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoseAccessTokenService, type TokenSettings } from '../../src/adapters/security/jose-access-token-service.js';
import { SigningKeyCodec } from '../../src/adapters/security/signing-key-codec.js';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

/** What the harness's Gatehouse signs with (its defaults). */
const TOKEN_SETTINGS: TokenSettings = { issuer: 'http://localhost:3000', audience: 'gatehouse', algorithm: 'EdDSA', ttlSeconds: 600 };

describe('access tokens and the JWKS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('issues at+jwt tokens a relying service verifies offline against the JWKS', async () => {
    const login = await signUp(h, 'relying@example.com');
    const jwks = await h.call('GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    for (const key of jwks.body.keys) expect(key).not.toHaveProperty('d');
    const { payload, protectedHeader } = await jwtVerify(login.accessToken, createLocalJWKSet(jwks.body as never), {
      issuer: 'http://localhost:3000',
      audience: 'gatehouse',
      typ: 'at+jwt',
      currentDate: h.clock.now(),
    });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({ sub: login.user.id, sid: login.session.id, org: null, member: null, roles: [], amr: ['pwd'] });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(typeof payload.jti).toBe('string');
  });

  it('refuses tampered, unsigned, foreign-key and wrong-audience tokens', async () => {
    const login = await signUp(h, 'tamper@example.com');
    const [header, payload, signature] = login.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    const { privateKey } = await generateKeyPair('EdDSA');
    const kid = decodeProtectedHeader(login.accessToken).kid!;
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid }).sign(privateKey);
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid }).sign(new TextEncoder().encode('x'.repeat(32)));
    const jwtTyp = await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey);
    for (const token of [`${header}.${forged}.${signature}`, `${none}.${payload}.`, foreign, hs, jwtTyp, 'not-a-jwt', `${header}.${payload}`]) {
      const res = await h.call('GET', '/api/v1/me', { token });
      expect(res.status, token).toBe(401);
      expect(['AUTH_TOKEN_INVALID', 'AUTH_REQUIRED']).toContain(res.body.code);
    }
    expect((await h.call('GET', '/api/v1/me')).body.code).toBe('AUTH_REQUIRED');
  });

  it('keeps verifying tokens of a rotated key until they expire', async () => {
    const login = await signUp(h, 'rotate@example.com');
    const oldKid = decodeProtectedHeader(login.accessToken).kid;
    await h.gatehouse.deps.tokens.rotate();
    const after = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } });
    expect(decodeProtectedHeader(after.body.accessToken).kid).not.toBe(oldKid);
    const kids = (await h.call('GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    expect(kids).toContain(oldKid);
    expect((await h.call('GET', '/api/v1/me', { token: login.accessToken })).status).toBe(200);
    // Its tokens may have been signed until every node reloaded its keys (2 × 60 s), then live 600 s.
    h.clock.advance(600 + 120 - 1);
    expect((await h.call('GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid)).toContain(oldKid);
    h.clock.advance(2);
    await h.gatehouse.deps.tokens.rotate();
    const later = (await h.call('GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
    expect(later).not.toContain(oldKid);
  });

  it('stops signing with a key another node retired within a minute', async () => {
    const first = await signUp(h, 'elsewhere@example.com');
    const oldKid = decodeProtectedHeader(first.accessToken).kid;
    // Another node (or `gatehouse rotate-keys`) rotates through the same database.
    const otherNode = new JoseAccessTokenService(h.gatehouse.persistence.signingKeys, new SigningKeyCodec(undefined), h.clock, TOKEN_SETTINGS);
    const { kid: newKid } = await otherNode.rotate();
    h.clock.advance(61);
    const next = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(decodeProtectedHeader(next.body.accessToken).kid).toBe(newKid);
    expect(newKid).not.toBe(oldKid);
    // The token signed with the retired key still verifies until it expires.
    expect((await h.call('GET', '/api/v1/me', { token: first.accessToken })).status).toBe(200);
  });
});
