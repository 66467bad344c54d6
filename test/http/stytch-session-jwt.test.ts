import { randomBytes, randomUUID } from 'node:crypto';
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityMirror } from '../../src/application/services/identity-mirror.js';
import { T } from '../../src/infrastructure/di/tokens.js';
import { StytchEmulator } from '../fakes/stytch-emulator.js';
import { type Harness, startHarness } from '../support/http-harness.js';

/**
 * Stytch mode accepts Stytch session JWTs as Bearer tokens next to Gatehouse's own access tokens:
 * verified locally against the project's JWKS, the member mirrored just in time on first use,
 * roles from the local membership.
 */
const PASSWORD = 'a long and unusual passphrase';

let emulator: StytchEmulator;
let h: Harness;

beforeAll(async () => {
  // One clock for both sides: JWTs the emulator mints carry iat/nbf of the clock Gatehouse checks with.
  let now: () => Date = () => new Date();
  emulator = await StytchEmulator.start({ now: () => now() });
  h = await startHarness({ env: emulator.gatehouseEnv(`whsec_${randomBytes(24).toString('base64')}`) });
  now = () => h.clock.now();
});
afterAll(async () => {
  await h?.close();
  await emulator?.stop();
});

/** A Stytch organization with a member who signed in at Stytch (its session JWT), unknown to Gatehouse so far. */
async function stytchMember(roles: string[] = ['stytch_admin']) {
  const slug = `acme-${randomUUID().slice(0, 8)}`;
  const org = emulator.seedOrganization({ name: 'Acme', slug });
  const email = `ada-${randomUUID().slice(0, 8)}@acme.test`;
  const member = emulator.seedMember(org.organization_id, { email, name: 'Ada', password: PASSWORD, roles });
  const res = await fetch(`${emulator.url}v1/b2b/passwords/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${emulator.projectId}:${emulator.secret}`).toString('base64')}` },
    body: JSON.stringify({ organization_id: org.organization_id, email_address: email, password: PASSWORD, session_duration_minutes: 60 }),
  });
  const body = (await res.json()) as { session_jwt: string; member_session: { member_session_id: string } };
  return { org, member, email, slug, jwt: body.session_jwt, sessionId: body.member_session.member_session_id };
}

const calls = (mark: number) => emulator.requests.slice(mark).map((r) => `${r.method} ${r.path}`);

function parts(jwt: string): [Record<string, unknown>, Record<string, unknown>, string] {
  const [a = '', b = '', c = ''] = jwt.split('.');
  const decode = (x: string) => JSON.parse(Buffer.from(x, 'base64url').toString('utf8')) as Record<string, unknown>;
  return [decode(a), decode(b), c];
}
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs with the emulator's own key (a test-only reach inside it: its public API signs only the right iss and aud). */
function signWithEmulatorKey(header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const signer = (emulator as unknown as { store: { signer: { privateKey: CryptoKey } } }).store.signer;
  return new SignJWT(payload).setProtectedHeader({ ...header, alg: 'RS256' }).sign(signer.privateKey);
}

async function emulatorPublicKeyPem(): Promise<string> {
  const jwks = (await (await fetch(`${emulator.url}v1/b2b/sessions/jwks/${emulator.projectId}`)).json()) as { keys: Array<{ n: string; e: string }> };
  const key = jwks.keys[0]!;
  return exportSPKI((await importJWK({ kty: 'RSA', n: key.n, e: key.e }, 'RS256', { extractable: true })) as CryptoKey);
}

describe('Stytch session JWTs as Bearer tokens [IDENTITY_PROVIDER=stytch]', () => {
  it('GET /me with a Stytch JWT: 200, the member mirrored just in time with its organization and mapped role', async () => {
    const s = await stytchMember(['stytch_admin']);
    const mark = emulator.requests.length;
    const me = await h.call('GET', '/api/v1/me', { token: s.jwt });
    expect(me.status).toBe(200);
    expect(me.body['user']).toMatchObject({ email: s.email });
    expect(me.body['organization']).toMatchObject({ slug: s.slug, name: 'Acme' });
    expect(me.body['member']).toMatchObject({ role: 'admin' });
    // JIT: the member (and its organization) read once from Stytch; the JWT itself never sent to sessions.authenticate.
    expect(calls(mark)).toEqual([`GET /v1/b2b/sessions/jwks/${emulator.projectId}`, `GET /v1/b2b/organizations/${s.org.organization_id}/member`]);
    expect(emulator.requests.at(-1)?.body).toMatchObject({ member_id: s.member.member_id });

    const member = emulator.seedMember(s.org.organization_id, { email: `bo-${randomUUID().slice(0, 8)}@acme.test`, roles: [] });
    const jwt = await emulator.signSessionJwt({ memberSessionId: `member-session-test-${randomUUID()}`, memberId: member.member_id, organizationId: s.org.organization_id });
    const plain = await h.call('GET', '/api/v1/me', { token: jwt });
    expect(plain.status).toBe(200);
    expect(plain.body['member']).toMatchObject({ role: 'member' });
    expect(plain.body['organization']).toMatchObject({ id: me.body['organization']['id'] });
  });

  it('later requests are served locally: the cached JWKS and the mirror, no call to Stytch at all', async () => {
    const s = await stytchMember();
    expect((await h.call('GET', '/api/v1/me', { token: s.jwt })).status).toBe(200);
    const fresh = await emulator.signSessionJwt({ memberSessionId: s.sessionId, memberId: s.member.member_id, organizationId: s.org.organization_id });
    const mark = emulator.requests.length;
    for (const token of [s.jwt, fresh, s.jwt]) expect((await h.call('GET', '/api/v1/me', { token })).status).toBe(200);
    expect(calls(mark)).toEqual([]);
  });

  it('refuses forged, foreign and expired tokens with 401 AUTH_TOKEN_INVALID', async () => {
    const s = await stytchMember();
    const [header, payload, signature] = parts(s.jwt);
    const other = await generateKeyPair('RS256', { modulusLength: 2048 });
    const forged: Record<string, string> = {
      tamperedPayload: `${encode(header)}.${encode({ ...payload, sub: 'member-test-someone-else' })}.${signature}`,
      otherRsaKey: await new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(other.privateKey),
      wrongAudience: await signWithEmulatorKey(header, { ...payload, aud: ['project-test-someone-else'] }),
      wrongIssuer: await signWithEmulatorKey(header, { ...payload, iss: 'stytch.com/project-test-someone-else' }),
      expired: await emulator.signSessionJwt({ memberSessionId: s.sessionId, memberId: s.member.member_id, organizationId: s.org.organization_id, issuedAt: new Date(h.clock.now().getTime() - 600_000) }),
      algNone: `${encode({ ...header, alg: 'none' })}.${encode(payload)}.`,
      hs256WithPublicKey: await new SignJWT(payload).setProtectedHeader({ ...header, alg: 'HS256' }).sign(new TextEncoder().encode(await emulatorPublicKeyPem())),
    };
    for (const [name, token] of Object.entries(forged)) {
      const res = await h.call('GET', '/api/v1/me', { token });
      expect({ name, status: res.status, code: res.body['code'] }).toEqual({ name, status: 401, code: 'AUTH_TOKEN_INVALID' });
    }
    // The genuine token still works.
    expect((await h.call('GET', '/api/v1/me', { token: s.jwt })).status).toBe(200);
  });

  it('a member deleted from the mirror is refused at once (AUTH_SESSION_REVOKED), though the JWT is still valid', async () => {
    const s = await stytchMember();
    expect((await h.call('GET', '/api/v1/me', { token: s.jwt })).status).toBe(200);
    await h.gatehouse.container.get<IdentityMirror>(T.IdentityMirror).removeMember(s.member.member_id, h.clock.now());
    const res = await h.call('GET', '/api/v1/me', { token: s.jwt });
    expect(res.status).toBe(401);
    expect(res.body['code']).toBe('AUTH_SESSION_REVOKED');
  });

  it('a Stytch JWT cannot switch organizations through Gatehouse: 501 IDENTITY_CAPABILITY_UNSUPPORTED, no session created', async () => {
    const s = await stytchMember();
    const res = await h.call('POST', '/api/v1/auth/switch-organization', { token: s.jwt, body: { organization: s.slug } });
    expect(res.status).toBe(501);
    expect(res.body.code).toBe('IDENTITY_CAPABILITY_UNSUPPORTED');
    expect(res.body.accessToken).toBeUndefined();
  });

  it('a Gatehouse access token still works in Stytch mode', async () => {
    const s = await stytchMember();
    // Mirrored first (through its Stytch JWT): LoginWithPassword reads the local user before Stytch answers.
    expect((await h.call('GET', '/api/v1/me', { token: s.jwt })).status).toBe(200);
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: s.email, password: PASSWORD, organization: s.slug } });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const token = String(login.body['accessToken']);
    expect(token.split('.')).toHaveLength(3);
    expect(parts(token)[0]).toMatchObject({ typ: 'at+jwt' });
    const me = await h.call('GET', '/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.body['organization']).toMatchObject({ slug: s.slug });
  });
});
