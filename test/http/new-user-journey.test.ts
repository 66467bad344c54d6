import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, mailedToken, startHarness } from '../support/http-harness.js';

const PASSWORD = 'correct horse battery staple';

/** The path a new person takes with the built-in identity provider, step by step, as they would. */
describe('a new user, end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());


  it('register → verify → enable TOTP → log out → password + code → magic link → pick an organization → switch', async () => {
    expect((await h.call('POST', '/api/v1/auth/register', { body: { email: 'journey@example.com', password: PASSWORD, name: 'Jo' } })).status).toBe(202);
    const verified = await h.call('POST', '/api/v1/auth/verify-email', { body: { token: await mailedToken(h, 'journey@example.com', 'verification') } });
    expect(verified.body.status).toBe('authenticated');
    const bearer = verified.body.accessToken as string;

    const first = await h.call('POST', '/api/v1/organizations', { token: bearer, body: { name: 'Journey One' } });
    const second = await h.call('POST', '/api/v1/organizations', { token: bearer, body: { name: 'Journey Two' } });
    expect([first.status, second.status]).toEqual([201, 201]);

    const setup = await h.call('POST', '/api/v1/auth/mfa/totp/setup', { token: bearer, body: {} });
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\//);
    const enabled = await h.call('POST', '/api/v1/auth/mfa/totp/enable', { token: bearer, body: { code: await h.clock.totp(setup.body.secret) } });
    expect(enabled.body.recoveryCodes).toHaveLength(10);
    expect((await h.call('POST', '/api/v1/auth/logout', { body: { refreshToken: verified.body.refreshToken } })).status).toBe(204);

    h.clock.advance(30);
    const password = await h.call('POST', '/api/v1/auth/login', { body: { email: 'journey@example.com', password: PASSWORD, organization: first.body.slug } });
    expect(password.body.status).toBe('mfa_required');
    const signedIn = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: password.body.mfaToken, code: await h.clock.totp(setup.body.secret) } });
    expect(signedIn.body).toMatchObject({ status: 'authenticated', organization: { id: first.body.id } });

    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'journey@example.com' } });
    const discovered = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: await mailedToken(h, 'journey@example.com', 'magic_link') } });
    expect(discovered.body.organizations.map((o: { name: string }) => o.name)).toEqual(['Journey One', 'Journey Two']);
    // A magic link is one factor: the TOTP step still comes.
    const picked = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: discovered.body.intermediateToken, organization: second.body.id } });
    expect(picked.body.status).toBe('mfa_required');
    h.clock.advance(30);
    const inSecond = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: picked.body.mfaToken, code: await h.clock.totp(setup.body.secret) } });
    expect(inSecond.body.organization.id).toBe(second.body.id);

    const switched = await h.call('POST', '/api/v1/auth/switch-organization', { token: inSecond.body.accessToken, body: { organization: first.body.slug } });
    expect(switched.body).toMatchObject({ status: 'authenticated', organization: { id: first.body.id } });
    const me = await h.call('GET', '/api/v1/me', { token: switched.body.accessToken });
    expect(me.body.organization.id).toBe(first.body.id);
  });
});
