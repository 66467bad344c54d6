import { randomUUID } from 'node:crypto';
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import type { B2BClient } from 'stytch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStytchClient } from '../../../src/adapters/identity/stytch/stytch-client.js';
import { gatehouseRoleOf, parseRoleMap } from '../../../src/adapters/identity/stytch/stytch-role-map.js';
import { StytchSessionVerifier, type StytchSessionVerifierSettings } from '../../../src/adapters/identity/stytch/stytch-session-verifier.js';
import type { Clock } from '../../../src/domain/shared/clock.js';
import { StytchEmulator } from '../../fakes/stytch-emulator.js';
import { startSession } from '../../fakes/stytch-emulator/sessions.js';
import type { EmulatorStore } from '../../fakes/stytch-emulator/store.js';

const ROLE_MAP = parseRoleMap('stytch_admin=admin,stytch_member=member');
const PASSWORD = 'a long and unusual passphrase';
const realClock: Clock = { now: () => new Date() };

let emulator: StytchEmulator;

beforeAll(async () => {
  emulator = await StytchEmulator.start();
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => emulator.reset());

/** A fresh SDK client (its own empty JWKS cache) and a verifier over it. */
function verifierOf(settings: Partial<StytchSessionVerifierSettings> = {}, clock: Clock = realClock): { client: B2BClient; verifier: StytchSessionVerifier } {
  const client = createStytchClient({ projectId: emulator.projectId, secret: emulator.secret, apiUrl: emulator.url, timeoutMs: 2000 });
  const verifier = new StytchSessionVerifier({ client, roleOf: (ids) => gatehouseRoleOf(ROLE_MAP, ids), clock }, { projectId: emulator.projectId, apiUrl: emulator.url, ...settings });
  return { client, verifier };
}

/** An organization with one admin member, signed in with a password through the real SDK: a live session and its JWT. */
async function signedIn(client: B2BClient) {
  const org = emulator.seedOrganization({ name: 'Acme', slug: `acme-${randomUUID().slice(0, 8)}` });
  const member = emulator.seedMember(org.organization_id, { email: `ada-${randomUUID().slice(0, 8)}@acme.test`, name: 'Ada', password: PASSWORD, roles: ['stytch_admin'] });
  const login = await client.passwords.authenticate({ organization_id: org.organization_id, email_address: member.email_address, password: PASSWORD, session_duration_minutes: 60 });
  if (!login.member_session) throw new Error('no member session');
  return { org, member, jwt: login.session_jwt, sessionId: login.member_session.member_session_id };
}

/** Calls to the emulator made after `mark` (an index into emulator.requests). */
const since = (mark: number) => emulator.requests.slice(mark).map((r) => `${r.method} ${r.path}`);
const remoteChecks = (mark: number) => since(mark).filter((r) => r === 'POST /v1/b2b/sessions/authenticate');

function segments(jwt: string): [Record<string, unknown>, Record<string, unknown>, string] {
  const [h = '', p = '', s = ''] = jwt.split('.');
  const decode = (x: string) => JSON.parse(Buffer.from(x, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [decode(h), decode(p), s];
}
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `payload` with the emulator's own key and kid (test-only reach into the emulator: it signs only correct iss/aud). */
async function signWithEmulatorKey(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const signer = (emulator as unknown as { store: { signer: { privateKey: CryptoKey } } }).store.signer;
  return new SignJWT(payload).setProtectedHeader({ ...header, alg: 'RS256' }).sign(signer.privateKey);
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code });
}

describe('StytchSessionVerifier.recognizes', () => {
  it('routes Stytch session JWTs here and never a Gatehouse access token (EdDSA, typ at+jwt)', async () => {
    const { client, verifier } = verifierOf();
    const { jwt } = await signedIn(client);
    expect(verifier.recognizes(jwt)).toBe(true);
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const gatehouse = await new SignJWT({ sid: 's' }).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'k' }).setSubject('u').setExpirationTime('5m').sign(privateKey);
    expect(verifier.recognizes(gatehouse)).toBe(false);
    // Even an RS256 token that says at+jwt is Gatehouse's business (it would refuse it).
    expect(verifier.recognizes(`${encode({ alg: 'RS256', typ: 'at+jwt' })}.e30.x`)).toBe(false);
    for (const junk of ['', 'opaque-token', '.', '%%%.e30.x', `${encode({ alg: 'none' })}.e30.`]) expect(verifier.recognizes(junk)).toBe(false);
  });
});

describe('StytchSessionVerifier.verify', () => {
  it('verifies a real session JWT locally: one JWKS fetch, no call to sessions.authenticate, then served from the cached JWKS', async () => {
    const { client, verifier } = verifierOf();
    const first = await signedIn(client);
    const mark = emulator.requests.length;
    const claims = await verifier.verify(first.jwt);
    expect(claims).toMatchObject({ sessionId: first.sessionId, externalMemberId: first.member.member_id, externalOrganizationId: first.org.organization_id, amr: ['pwd'] });
    const exp = segments(first.jwt)[1]['exp'] as number;
    expect(claims.expiresAt.getTime()).toBe(exp * 1000);
    expect(since(mark)).toEqual([`GET /v1/b2b/sessions/jwks/${emulator.projectId}`]);

    const second = await signedIn(client);
    const mark2 = emulator.requests.length;
    expect((await verifier.verify(second.jwt)).externalMemberId).toBe(second.member.member_id);
    expect(await verifier.verify(first.jwt)).toEqual(claims);
    expect(since(mark2)).toEqual([]);
  });

  it('maps a password + TOTP session to pwd, otp, mfa', async () => {
    const { verifier } = verifierOf();
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme-mfa' });
    const member = emulator.seedMember(org.organization_id, { email: 'grace@acme.test', password: PASSWORD });
    const store = (emulator as unknown as { store: EmulatorStore }).store;
    const factors = [
      { type: 'password', delivery_method: 'knowledge', last_authenticated_at: new Date().toISOString() },
      { type: 'totp', delivery_method: 'authenticator_app', last_authenticated_at: new Date().toISOString() },
    ];
    const session = startSession(store, store.record(org.organization_id, member.member_id), factors, 60);
    const jwt = await emulator.signSessionJwt({ memberSessionId: session.id, memberId: member.member_id, organizationId: org.organization_id });
    expect((await verifier.verify(jwt)).amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it('refuses forged and broken tokens with AUTH_TOKEN_INVALID, without asking Stytch', async () => {
    const { client, verifier } = verifierOf();
    const { jwt, org, member, sessionId } = await signedIn(client);
    await verifier.verify(jwt); // JWKS now cached
    const [header, payload, signature] = segments(jwt);
    const other = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const now = Math.floor(Date.now() / 1000);
    const forged: Record<string, string> = {
      tamperedPayload: `${encode(header)}.${encode({ ...payload, sub: 'member-test-someone-else' })}.${signature}`,
      wrongSignature: await new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(other.privateKey),
      wrongAudience: await signWithEmulatorKey(header, { ...payload, aud: ['project-test-someone-else'] }),
      wrongIssuer: await signWithEmulatorKey(header, { ...payload, iss: 'stytch.com/project-test-someone-else' }),
      expired: await emulator.signSessionJwt({ memberSessionId: sessionId, memberId: member.member_id, organizationId: org.organization_id, issuedAt: new Date(Date.now() - 600_000) }),
      notYetValid: await signWithEmulatorKey(header, { ...payload, nbf: now + 120 }),
      algNone: `${encode({ ...header, alg: 'none' })}.${encode(payload)}.`,
      hs256WithPublicKey: await new SignJWT(payload)
        .setProtectedHeader({ ...header, alg: 'HS256' })
        .sign(new TextEncoder().encode(await exportSPKI(await emulatorPublicKey(client)))),
      notAJwt: 'a.b',
    };
    const mark = emulator.requests.length;
    for (const [name, token] of Object.entries(forged)) {
      await expect(verifier.verify(token), name).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    }
    expect(since(mark)).toEqual([]);
  });

  it('an unknown kid (a key the cached JWKS lacks) is checked with Stytch once the JWKS refetch cannot find it; a forgery stays AUTH_TOKEN_INVALID', async () => {
    const { client, verifier } = verifierOf();
    const { jwt } = await signedIn(client);
    const [header, payload] = segments(jwt);
    const other = await generateKeyPair('RS256', { modulusLength: 2048 });
    const unknownKid = await new SignJWT(payload).setProtectedHeader({ ...header, alg: 'RS256', kid: 'jwk-test-rotated' }).sign(other.privateKey);
    const mark = emulator.requests.length;
    await expectCode(verifier.verify(unknownKid), 'AUTH_TOKEN_INVALID');
    expect(remoteChecks(mark)).toHaveLength(1);
  });

  it('the JWKS unreachable: the local check cannot decide, Stytch decides (and 503 when Stytch is down too)', async () => {
    const first = verifierOf();
    const { jwt, member } = await signedIn(first.client);
    emulator.failNext('/v1/b2b/sessions/jwks/', 'network');
    const mark = emulator.requests.length;
    expect((await first.verifier.verify(jwt)).externalMemberId).toBe(member.member_id);
    expect(remoteChecks(mark)).toHaveLength(1);

    const second = verifierOf();
    emulator.failNext('/v1/b2b/sessions/jwks/', { status: 503, errorType: 'internal_server_error' });
    emulator.failNext('/v1/b2b/sessions/authenticate', { status: 503, errorType: 'internal_server_error' });
    await expectCode(second.verifier.verify(jwt), 'IDENTITY_PROVIDER_UNAVAILABLE');
  });

  it('with maxTokenAgeSeconds, an older JWT is re-checked with Stytch: live → accepted, revoked → AUTH_SESSION_REVOKED', async () => {
    let now = Date.now();
    const clock: Clock = { now: () => new Date(now) };
    const { client, verifier } = verifierOf({ maxTokenAgeSeconds: 60 }, clock);
    const { jwt, member, sessionId } = await signedIn(client);
    expect((await verifier.verify(jwt)).externalMemberId).toBe(member.member_id);
    now += 90_000;
    const mark = emulator.requests.length;
    expect((await verifier.verify(jwt)).sessionId).toBe(sessionId);
    expect(remoteChecks(mark)).toHaveLength(1);
    await client.sessions.revoke({ member_session_id: sessionId });
    await expectCode(verifier.verify(jwt), 'AUTH_SESSION_REVOKED');
  });

  it('expiry follows the injected clock, also for a token verified and cached before', async () => {
    let now = Date.now();
    const clock: Clock = { now: () => new Date(now) };
    const { client, verifier } = verifierOf({}, clock);
    const { jwt } = await signedIn(client);
    await verifier.verify(jwt);
    now += 301_000;
    const mark = emulator.requests.length;
    await expectCode(verifier.verify(jwt), 'AUTH_TOKEN_INVALID');
    expect(since(mark)).toEqual([]);
  });

  it('bounds remote checks: beyond maxRemoteChecks in flight, IDENTITY_PROVIDER_UNAVAILABLE instead of a queue on Stytch', async () => {
    const { client, verifier } = verifierOf({ maxRemoteChecks: 1 });
    const { jwt } = await signedIn(client);
    const [header, payload] = segments(jwt);
    const other = await generateKeyPair('RS256', { modulusLength: 2048 });
    const token = (kid: string) => new SignJWT(payload).setProtectedHeader({ ...header, alg: 'RS256', kid }).sign(other.privateKey);
    await verifier.verify(jwt).catch(() => undefined);
    emulator.failNext('/v1/b2b/sessions/authenticate', { delayMs: 300 });
    const results = await Promise.allSettled([verifier.verify(await token('jwk-a')), verifier.verify(await token('jwk-b'))]);
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok')).sort();
    expect(codes).toEqual(['AUTH_TOKEN_INVALID', 'IDENTITY_PROVIDER_UNAVAILABLE']);
  });
});

describe('StytchSessionVerifier.fetchMember', () => {
  it('reads the member and organization in Gatehouse terms (role mapped); a deleted member is AUTH_SESSION_REVOKED', async () => {
    const { verifier } = verifierOf();
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme-dir', mfaPolicy: 'REQUIRED_FOR_ALL' });
    const member = emulator.seedMember(org.organization_id, { email: 'lin@acme.test', name: 'Lin', roles: ['stytch_admin'] });
    const found = await verifier.fetchMember(org.organization_id, member.member_id);
    expect(found.member).toMatchObject({ externalId: member.member_id, externalOrganizationId: org.organization_id, email: 'lin@acme.test', role: 'admin', status: 'active' });
    expect(found.organization).toMatchObject({ externalId: org.organization_id, slug: 'acme-dir', mfaRequired: true });
    emulator.deleteMember(org.organization_id, member.member_id);
    await expectCode(verifier.fetchMember(org.organization_id, member.member_id), 'AUTH_SESSION_REVOKED');
  });
});

/** The emulator's public key as the SDK sees it (through the JWKS endpoint). */
async function emulatorPublicKey(client: B2BClient): Promise<CryptoKey> {
  const { keys } = await client.sessions.getJWKS({ project_id: emulator.projectId });
  const jwk = keys[0];
  if (!jwk) throw new Error('no JWKS key');
  return (await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256' }, 'RS256', { extractable: true })) as CryptoKey;
}
