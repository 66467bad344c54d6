import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

const PASSWORD = 'correct horse battery staple';
const DAY = 24 * 3600;

/** The `exp` claim of an access token (read, not verified: the server verifies it). */
const expOf = (token: string): number => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp;

/**
 * Switching organization as an attacker would use it: to outlive a session's absolute end, or to turn a
 * captured access token into a refresh token or into fresh access tokens. The new session succeeds the old
 * one: same absolute end, the same refresh token, and an access token that expires no later than the presented one.
 */
describe('POST /auth/switch-organization', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function twoOrganizations(email: string) {
    const session = await signUp(h, email);
    const a = (await h.call('POST', '/api/v1/organizations', { token: session.accessToken, body: { name: `${email} A` } })).body as { id: string };
    const b = (await h.call('POST', '/api/v1/organizations', { token: session.accessToken, body: { name: `${email} B` } })).body as { id: string };
    return { a, b };
  }
  const login = (email: string, organization: string) => h.call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD, organization } });
  const refresh = (refreshToken: string) => h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
  const switchTo = (accessToken: string, organization: string) => h.call('POST', '/api/v1/auth/switch-organization', { token: accessToken, body: { organization } });

  it('never moves the absolute end of a sign-in: switching back and forth, the session still ends 30 days after the password', async () => {
    const { a, b } = await twoOrganizations('forever@example.com');
    const first = (await login('forever@example.com', a.id)).body;
    let refreshToken = first.refreshToken as string;
    let organization = a.id;
    const statuses: number[] = [];
    for (let day = 6; day <= 36; day += 6) {
      h.clock.advance(6 * DAY);
      const refreshed = await refresh(refreshToken);
      statuses.push(refreshed.status);
      if (refreshed.status !== 200) break;
      refreshToken = refreshed.body.refreshToken;
      organization = organization === a.id ? b.id : a.id;
      const switched = await switchTo(refreshed.body.accessToken, organization);
      expect(switched.body.session.expiresAt).toBe(first.session.expiresAt);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 401]);
  });

  it('turns no access token into a refresh token, nor into a longer-lived access token; the holder keeps their refresh token', async () => {
    const { a, b } = await twoOrganizations('captured@example.com');
    const victim = (await login('captured@example.com', a.id)).body;
    h.clock.advance(120);

    // With only the access token, switch (to another organization or the same one), again and again.
    let token = victim.accessToken as string;
    for (const organization of [b.id, a.id, a.id]) {
      const switched = await switchTo(token, organization);
      expect(switched.status).toBe(200);
      expect(switched.body.refreshToken).toBeUndefined();
      expect(switched.headers.get('set-cookie')).toBeNull();
      expect(expOf(switched.body.accessToken)).toBeLessThanOrEqual(expOf(victim.accessToken));
      expect(switched.body.session.expiresAt).toBe(victim.session.expiresAt);
      token = switched.body.accessToken;
    }
    // Past the first token's end, the chain is over.
    h.clock.advance(10 * 60);
    expect((await h.call('GET', '/api/v1/me', { token })).status).toBe(401);

    // The person's own refresh token goes on, in the organization the session was last switched to.
    const refreshed = await refresh(victim.refreshToken);
    expect(refreshed.body).toMatchObject({ status: 'authenticated', organization: { id: a.id } });
    // And a replay of it afterwards still revokes the family.
    expect((await refresh(victim.refreshToken)).body.code).toBe('REFRESH_TOKEN_REUSED');
    expect((await refresh(refreshed.body.refreshToken)).body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('into an organization that requires MFA: the old session ends only when the second factor is given, the refresh token carries on, and the switch is recorded', async () => {
    const { a, b } = await twoOrganizations('strict@example.com');
    const inB = (await login('strict@example.com', b.id)).body;
    const setup = await h.call('POST', '/api/v1/auth/mfa/totp/setup', { token: inB.accessToken });
    await h.call('POST', '/api/v1/auth/mfa/totp/enable', { token: inB.accessToken, body: { code: await h.clock.totp(setup.body.secret) } });
    h.clock.advance(30);
    const inBAgain = await login('strict@example.com', b.id);
    const adminOfB = (await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: inBAgain.body.mfaToken, code: await h.clock.totp(setup.body.secret) } })).body;
    await h.call('PATCH', `/api/v1/organizations/${b.id}`, { token: adminOfB.accessToken, body: { policy: { mfaRequired: true } } });
    h.clock.advance(30);
    // Signed in to A with the password only (A does not ask for the app: the person has one, so it does).
    const challengedA = (await login('strict@example.com', a.id)).body;
    const inA = (await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: challengedA.mfaToken, code: await h.clock.totp(setup.body.secret) } })).body;
    h.clock.advance(30);

    // amr already holds the second factor: the switch needs no new one.
    const switched = await switchTo(inA.accessToken, b.id);
    expect(switched.body).toMatchObject({ status: 'authenticated', organization: { id: b.id }, session: { expiresAt: inA.session.expiresAt } });
    expect((await h.call('GET', '/api/v1/me', { token: inA.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    const refreshed = await refresh(inA.refreshToken);
    expect(refreshed.body).toMatchObject({ status: 'authenticated', organization: { id: b.id }, session: { id: switched.body.session.id } });
    const audit = await h.call('GET', `/api/v1/organizations/${b.id}/audit-log`, { token: refreshed.body.accessToken });
    expect(audit.body.events.map((e: { action: string }) => e.action)).toContain('auth.switch_organization');
  });

  it('with a password-only session into an organization that requires an app the person has: the app is asked for, then the old session ends and the switch is recorded', async () => {
    const { a, b } = await twoOrganizations('stepup@example.com');
    const inB = (await login('stepup@example.com', b.id)).body;
    await h.call('PATCH', `/api/v1/organizations/${b.id}`, { token: inB.accessToken, body: { policy: { mfaRequired: true } } });
    // An app set up from a session in A (A itself does not require it).
    const inA0 = (await login('stepup@example.com', a.id)).body;
    const setup = await h.call('POST', '/api/v1/auth/mfa/totp/setup', { token: inA0.accessToken });
    await h.call('POST', '/api/v1/auth/mfa/totp/enable', { token: inA0.accessToken, body: { code: await h.clock.totp(setup.body.secret) } });
    h.clock.advance(30);

    const switched = await switchTo(inA0.accessToken, b.id);
    expect(switched.body.status).toBe('mfa_required');
    expect((await h.call('GET', '/api/v1/me', { token: inA0.accessToken })).status).toBe(200);
    const verified = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: switched.body.mfaToken, code: await h.clock.totp(setup.body.secret) } });
    expect(verified.body).toMatchObject({ status: 'authenticated', organization: { id: b.id }, session: { expiresAt: inA0.session.expiresAt } });
    expect(verified.body.refreshToken).toBeUndefined();
    expect((await h.call('GET', '/api/v1/me', { token: inA0.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    const refreshed = await refresh(inA0.refreshToken);
    expect(refreshed.body).toMatchObject({ status: 'authenticated', organization: { id: b.id } });
    const audit = await h.call('GET', `/api/v1/organizations/${b.id}/audit-log`, { token: refreshed.body.accessToken });
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['auth.switch_organization', 'auth.login.succeeded']));
  });

  it('into an organization that requires MFA the person has not set up: refused, nothing enrolled, the session goes on (an access token alone must not set up an app)', async () => {
    const { a, b } = await twoOrganizations('noapp@example.com');
    const inB = (await login('noapp@example.com', b.id)).body;
    await h.call('PATCH', `/api/v1/organizations/${b.id}`, { token: inB.accessToken, body: { policy: { mfaRequired: true } } });
    const inA = (await login('noapp@example.com', a.id)).body;
    const switched = await switchTo(inA.accessToken, b.id);
    expect([switched.status, switched.body.code]).toEqual([403, 'MFA_REQUIRED']);
    expect((await h.call('GET', '/api/v1/me', { token: inA.accessToken })).status).toBe(200);
    expect((await h.call('GET', '/api/v1/auth/mfa', { token: inA.accessToken })).body.totp.enabled).toBe(false);
    // Signing in to the organization is the way to set the app up.
    expect((await login('noapp@example.com', b.id)).body).toMatchObject({ status: 'mfa_required', enrolmentRequired: true });
  });
});
