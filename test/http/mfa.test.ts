import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, type Harness, mailedToken, signUp, startHarness } from '../support/http-harness.js';
import { inMemoryPersistence, pglitePersistence, type TestPersistence } from '../support/test-database.js';

const PASSWORD = 'correct horse battery staple';

const stores: [string, () => Promise<TestPersistence>][] = [
  ['in-memory', inMemoryPersistence],
  // The transactions that join a challenge's consumption to the factor's change, on PostgreSQL semantics.
  ['PGlite', pglitePersistence],
];

/** MFA over HTTP, as an attacker would try it: replays, reuse, token confusion, guessing, skipping re-auth. */
describe.each(stores)('MFA over HTTP [%s]', (_name, makeStore) => {
  let h: Harness;
  let store: TestPersistence;
  beforeAll(async () => {
    store = await makeStore();
    h = await startHarness({ persistence: store.persistence });
  });
  afterAll(async () => {
    await h?.close();
    await store?.cleanup();
  });

  const login = (email: string, organization?: string) => h.call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD, ...(organization ? { organization } : {}) } });
  const expectError = (res: ApiResponse, status: number, code: string) => expect([res.status, res.body.code]).toEqual([status, code]);

  /** Signs up, enables TOTP; returns the secret, recovery codes and the signed-in body. The enabling code's step is over. */
  async function withTotp(email: string) {
    const session = await signUp(h, email);
    const setup = await h.call('POST', '/api/v1/auth/mfa/totp/setup', { token: session.accessToken });
    expect(setup.status).toBe(200);
    const enable = await h.call('POST', '/api/v1/auth/mfa/totp/enable', { token: session.accessToken, body: { code: await h.clock.totp(setup.body.secret) } });
    expect(enable.status).toBe(200);
    h.clock.advance(30);
    return { secret: setup.body.secret as string, recoveryCodes: enable.body.recoveryCodes as string[], session };
  }

  async function challenge(email: string, organization?: string): Promise<string> {
    const res = await login(email, organization);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('mfa_required');
    return res.body.mfaToken as string;
  }

  it('register → login → set up and enable TOTP → log out → log in with password + code', async () => {
    const first = await signUp(h, 'newcomer@example.com');
    expect(first.status).toBe('authenticated');
    const status = await h.call('GET', '/api/v1/auth/mfa', { token: first.accessToken });
    expect(status.body).toEqual({ totp: { enabled: false }, recoveryCodes: { remaining: 0 }, organization: null });

    const setup = await h.call('POST', '/api/v1/auth/mfa/totp/setup', { token: first.accessToken });
    expect(setup.status).toBe(200);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\/Gatehouse:newcomer%40example\.com\?secret=/);
    expect(setup.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const wrong = await h.call('POST', '/api/v1/auth/mfa/totp/enable', { token: first.accessToken, body: { code: '000000' } });
    expectError(wrong, 400, 'MFA_CODE_INVALID');
    const enable = await h.call('POST', '/api/v1/auth/mfa/totp/enable', { token: first.accessToken, body: { code: await h.clock.totp(setup.body.secret) } });
    expect(enable.status).toBe(200);
    expect(enable.body.recoveryCodes).toHaveLength(10);
    const mails = await h.gatehouse.persistence.outbox.listRecent('newcomer@example.com');
    expect(mails.filter((m) => m.template === 'mfa_changed').map((m) => m.data['change'])).toEqual(['enabled']);
    // Enabling keeps this session.
    expect((await h.call('GET', '/api/v1/auth/mfa', { token: first.accessToken })).body.totp).toEqual({ enabled: true });

    expect((await h.call('POST', '/api/v1/auth/logout', { body: { refreshToken: first.refreshToken } })).status).toBe(204);
    const mfaToken = await challenge('newcomer@example.com');
    const pending = await login('newcomer@example.com');
    expect(pending.body).toMatchObject({ status: 'mfa_required', methods: ['totp', 'recovery_code'], expiresIn: 300, enrolmentRequired: false });
    expect(pending.body).not.toHaveProperty('accessToken');

    h.clock.advance(30);
    const verified = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken, code: await h.clock.totp(setup.body.secret) } });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'authenticated', user: { email: 'newcomer@example.com' } });
    expect(verified.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await h.call('GET', '/api/v1/me', { token: verified.body.accessToken })).status).toBe(200);
  });

  it('refuses a replayed TOTP code, and the mfaToken once it has been used', async () => {
    const { secret } = await withTotp('replay@example.com');
    const code = await h.clock.totp(secret);
    const firstToken = await challenge('replay@example.com');
    expect((await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: firstToken, code } })).status).toBe(200);

    const secondToken = await challenge('replay@example.com');
    expectError(await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: secondToken, code } }), 400, 'MFA_CODE_INVALID');
    // The spent mfaToken is dead, even with a fresh code.
    h.clock.advance(30);
    expectError(await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: firstToken, code: await h.clock.totp(secret) } }), 401, 'MFA_CHALLENGE_INVALID');
    expect((await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: secondToken, code: await h.clock.totp(secret) } })).status).toBe(200);
  });

  it('refuses a recovery code the second time', async () => {
    const { recoveryCodes } = await withTotp('recovery@example.com');
    const ok = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: await challenge('recovery@example.com'), recoveryCode: recoveryCodes[0] } });
    expect(ok.status).toBe(200);
    const reuse = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: await challenge('recovery@example.com'), recoveryCode: recoveryCodes[0] } });
    expectError(reuse, 400, 'MFA_CODE_INVALID');
    const status = await h.call('GET', '/api/v1/auth/mfa', { token: ok.body.accessToken });
    expect(status.body.recoveryCodes).toEqual({ remaining: 9 });
  });

  it('never accepts an mfaToken as a Bearer access token', async () => {
    await withTotp('bearer@example.com');
    const mfaToken = await challenge('bearer@example.com');
    for (const path of ['/api/v1/me', '/api/v1/auth/mfa', '/api/v1/auth/sessions']) {
      const res = await h.call('GET', path, { token: mfaToken });
      expect(res.status, path).toBe(401);
      expect(res.body.code).toBe('AUTH_TOKEN_INVALID');
    }
    const disable = await h.call('POST', '/api/v1/auth/mfa/totp/disable', { token: mfaToken, body: { password: PASSWORD } });
    expectError(disable, 401, 'AUTH_TOKEN_INVALID');
  });

  it('kills the challenge after five wrong codes: the sixth attempt fails even with the right code', async () => {
    const { secret } = await withTotp('guesser@example.com');
    const mfaToken = await challenge('guesser@example.com');
    for (let i = 0; i < 5; i++) {
      expectError(await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken, code: String(111111 * (i + 1)).slice(0, 6) } }), 400, 'MFA_CODE_INVALID');
    }
    expectError(await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken, code: await h.clock.totp(secret) } }), 401, 'MFA_CHALLENGE_INVALID');
    // A fresh sign-in (password again) gets a fresh challenge.
    expect((await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: await challenge('guesser@example.com'), code: await h.clock.totp(secret) } })).status).toBe(200);
  });

  it('refuses to disable TOTP or regenerate recovery codes without re-authentication', async () => {
    const { secret, session } = await withTotp('reauth@example.com');
    const token = session.accessToken as string;
    for (const path of ['/api/v1/auth/mfa/totp/disable', '/api/v1/auth/mfa/recovery-codes']) {
      expectError(await h.call('POST', path, { body: { password: PASSWORD } }), 401, 'AUTH_REQUIRED');
      expectError(await h.call('POST', path, { token, body: {} }), 400, 'VALIDATION_FAILED');
      expectError(await h.call('POST', path, { token, body: { password: 'not my password' } }), 403, 'REAUTHENTICATION_FAILED');
      expectError(await h.call('POST', path, { token, body: { code: '000000' } }), 403, 'REAUTHENTICATION_FAILED');
    }
    const regenerated = await h.call('POST', '/api/v1/auth/mfa/recovery-codes', { token, body: { code: await h.clock.totp(secret) } });
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.recoveryCodes).toHaveLength(10);

    const elsewhere = await login('reauth@example.com');
    h.clock.advance(30);
    const other = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: elsewhere.body.mfaToken, code: await h.clock.totp(secret) } });
    expect(other.status).toBe(200);
    const disabled = await h.call('POST', '/api/v1/auth/mfa/totp/disable', { token, body: { password: PASSWORD } });
    expect(disabled.status).toBe(200);
    expect(disabled.body.revokedSessions).toBeGreaterThanOrEqual(1);
    // The other device's session ended at once; this one goes on.
    expectError(await h.call('GET', '/api/v1/me', { token: other.body.accessToken }), 401, 'AUTH_SESSION_REVOKED');
    expect((await h.call('GET', '/api/v1/me', { token })).status).toBe(200);
    expect((await login('reauth@example.com')).body.status).toBe('authenticated');
  });

  it('sends a member of an organization that requires MFA to enrolment, and signs them in after enable', async () => {
    const admin = await signUp(h, 'strict-admin@example.com');
    const created = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name: 'Strict Corp' } });
    expect(created.status).toBe(201);
    const adminIn = await login('strict-admin@example.com', created.body.id);
    const policy = await h.call('PATCH', `/api/v1/organizations/${created.body.id}`, { token: adminIn.body.accessToken, body: { policy: { mfaRequired: true } } });
    expect(policy.status).toBe(200);
    // A password-only session started outside the organization (here in none) cannot run it: the policy
    // cannot be turned off, nor the audit log read, from there. The session that started inside goes on.
    expectError(await h.call('PATCH', `/api/v1/organizations/${created.body.id}`, { token: admin.accessToken, body: { policy: { mfaRequired: false } } }), 403, 'MFA_REQUIRED');
    expectError(await h.call('GET', `/api/v1/organizations/${created.body.id}/audit-log`, { token: admin.accessToken }), 403, 'MFA_REQUIRED');
    expect((await h.call('GET', `/api/v1/organizations/${created.body.id}/audit-log`, { token: adminIn.body.accessToken })).status).toBe(200);
    await signUp(h, 'strict-member@example.com');
    expect((await h.call('POST', `/api/v1/organizations/${created.body.id}/members`, { token: adminIn.body.accessToken, body: { email: 'strict-member@example.com', role: 'member' } })).status).toBe(201);

    const res = await login('strict-member@example.com', created.body.slug);
    expect(res.body).toMatchObject({ status: 'mfa_required', methods: [], enrolmentRequired: true, expiresIn: 300 });
    // The first factor's success is in the organization's log, with where it led.
    const firstFactor = await h.call('GET', `/api/v1/organizations/${created.body.id}/audit-log?action=auth.login.succeeded`, { token: adminIn.body.accessToken });
    expect(firstFactor.body.events[0].metadata).toMatchObject({ result: 'mfa_required' });
    const mfaToken = res.body.mfaToken as string;
    // Neither a session nor the org without the second factor; a code cannot answer it yet.
    expectError(await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken, code: '123456' } }), 400, 'MFA_CODE_INVALID');
    expectError(await h.call('POST', '/api/v1/auth/mfa/totp/setup', { body: {} }), 401, 'AUTH_REQUIRED');

    const setup = await h.call('POST', '/api/v1/auth/mfa/totp/setup', { body: { mfaToken } });
    expect(setup.status).toBe(200);
    const enable = await h.call('POST', '/api/v1/auth/mfa/totp/enable', { body: { mfaToken, code: await h.clock.totp(setup.body.secret) } });
    expect(enable.status).toBe(200);
    expect(enable.body.recoveryCodes).toHaveLength(10);
    expect(enable.body).toMatchObject({ status: 'authenticated', organization: { id: created.body.id }, member: { roles: ['member'] } });
    const status = await h.call('GET', '/api/v1/auth/mfa', { token: enable.body.accessToken });
    expect(status.body).toEqual({ totp: { enabled: true }, recoveryCodes: { remaining: 10 }, organization: { id: created.body.id, slug: created.body.slug, mfaRequired: true } });
    // The enrolment challenge is spent.
    expectError(await h.call('POST', '/api/v1/auth/mfa/totp/setup', { body: { mfaToken } }), 401, 'MFA_CHALLENGE_INVALID');
    const audit = await h.call('GET', `/api/v1/organizations/${created.body.id}/audit-log?action=mfa.enabled`, { token: adminIn.body.accessToken });
    expect(audit.body.events.map((e: { actorUserId: string }) => e.actorUserId)).toEqual([enable.body.user.id]);
    // From now on the member signs in with password + code.
    expect((await login('strict-member@example.com', created.body.slug)).body).toMatchObject({ status: 'mfa_required', methods: ['totp', 'recovery_code'] });
  });


  it('never lets a magic link alone satisfy MFA', async () => {
    const { secret } = await withTotp('linked@example.com');
    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'linked@example.com' } });
    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: await mailedToken(h, 'linked@example.com', 'magic_link') } });
    expect(found.body.status).toBe('org_selection_required');
    const created = await h.call('POST', '/api/v1/auth/discovery/create-organization', { body: { intermediateToken: found.body.intermediateToken, name: 'Linked Labs' } });
    expect(created.body).toMatchObject({ status: 'mfa_required', methods: ['totp', 'recovery_code'] });
    expect(created.body).not.toHaveProperty('accessToken');
    const verified = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: created.body.mfaToken, code: await h.clock.totp(secret) } });
    expect(verified.body).toMatchObject({ status: 'authenticated', organization: { slug: 'linked-labs' } });
  });

  it('never lets a password reset bypass MFA', async () => {
    await withTotp('forgetful@example.com');
    await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'forgetful@example.com' } });
    const token = await mailedToken(h, 'forgetful@example.com', 'password_reset');
    const reset = await h.call('POST', '/api/v1/auth/password/reset', { body: { token, password: 'a brand new passphrase' } });
    expect(reset.status).toBe(204);
    expect(reset.body).not.toHaveProperty('accessToken');
    const res = await h.call('POST', '/api/v1/auth/login', { body: { email: 'forgetful@example.com', password: 'a brand new passphrase' } });
    expect(res.body.status).toBe('mfa_required');
  });

  it('refuses a second setup over an active factor, and enrolment with a challenge that did not ask for it', async () => {
    const { session } = await withTotp('twice@example.com');
    expectError(await h.call('POST', '/api/v1/auth/mfa/totp/setup', { token: session.accessToken }), 409, 'MFA_ALREADY_ENABLED');
    const mfaToken = await challenge('twice@example.com');
    expectError(await h.call('POST', '/api/v1/auth/mfa/totp/setup', { body: { mfaToken } }), 401, 'MFA_CHALLENGE_INVALID');
  });
});
