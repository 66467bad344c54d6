import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

describe('sessions over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('registers, logs in and reads /me with the access token', async () => {
    const login = await signUp(h, 'ada@example.com');
    expect(login).toMatchObject({ status: 'authenticated', tokenType: 'Bearer', expiresIn: 600, organization: null, user: { email: 'ada@example.com' } });
    expect(login.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await h.call('GET', '/api/v1/me', { token: login.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'ada@example.com', name: 'ada' });
    expect(me.headers.get('cache-control')).toBe('no-store');
  });

  it('answers register the same way whether or not the email exists', async () => {
    await signUp(h, 'taken@example.com');
    const again = await h.call('POST', '/api/v1/auth/register', { body: { email: 'taken@example.com', password: 'another long password' } });
    const fresh = await h.call('POST', '/api/v1/auth/register', { body: { email: 'fresh@example.com', password: 'another long password' } });
    expect(again.status).toBe(202);
    expect(fresh.status).toBe(202);
    expect(again.body).toEqual(fresh.body);
    // The existing account's password did not change.
    const old = await h.call('POST', '/api/v1/auth/login', { body: { email: 'taken@example.com', password: 'correct horse battery staple' } });
    expect(old.status).toBe(200);
  });

  it('collapses unknown email and wrong password into INVALID_CREDENTIALS', async () => {
    await signUp(h, 'bob@example.com');
    const wrong = await h.call('POST', '/api/v1/auth/login', { body: { email: 'bob@example.com', password: 'not the password' } });
    const unknown = await h.call('POST', '/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect({ ...wrong.body, requestId: '' }).toEqual({ ...unknown.body, requestId: '' });
  });

  it('rotates refresh tokens, and reuse of a rotated token revokes the whole family', async () => {
    const login = await signUp(h, 'carol@example.com');
    const first = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(login.refreshToken);
    expect(first.body.session.id).toBe(login.session.id);
    const reuse = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    // The newest token of the family is dead too, and so is the access token.
    const newest = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(newest.body.code).toBe('REFRESH_TOKEN_INVALID');
    const me = await h.call('GET', '/api/v1/me', { token: first.body.accessToken });
    expect(me.body.code).toBe('AUTH_SESSION_REVOKED');
  });

  it('refuses an unknown refresh token', async () => {
    const res = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'x'.repeat(43) } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('logs out one session, then everywhere', async () => {
    const a = await signUp(h, 'dave@example.com');
    const b = await h.call('POST', '/api/v1/auth/login', { body: { email: 'dave@example.com', password: 'correct horse battery staple' } });
    const list = await h.call('GET', '/api/v1/auth/sessions', { token: a.accessToken });
    expect(list.body.sessions).toHaveLength(2);
    expect(list.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(list.body.sessions[0]).toMatchObject({ device: 'Node.js', ip: '127.0.0.1' });
    expect(list.body.sessions[0].lastUsedAt).toEqual(expect.any(String));
    expect((await h.call('POST', '/api/v1/auth/logout', { body: { refreshToken: a.refreshToken } })).status).toBe(204);
    expect((await h.call('GET', '/api/v1/me', { token: a.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    expect((await h.call('GET', '/api/v1/me', { token: b.body.accessToken })).status).toBe(200);
    const all = await h.call('POST', '/api/v1/auth/logout-everywhere', { token: b.body.accessToken });
    expect(all.body.revoked).toBe(1);
    expect((await h.call('GET', '/api/v1/me', { token: b.body.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    expect((await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: b.body.refreshToken } })).body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it("cannot revoke someone else's session", async () => {
    const mallory = await signUp(h, 'mallory@example.com');
    const victim = await signUp(h, 'victim@example.com');
    const res = await h.call('DELETE', `/api/v1/auth/sessions/${victim.session.id}`, { token: mallory.accessToken });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('SESSION_NOT_FOUND');
    expect((await h.call('GET', '/api/v1/me', { token: victim.accessToken })).status).toBe(200);
  });

  it('expires access tokens after ten minutes and sessions after the idle timeout', async () => {
    const login = await signUp(h, 'erin@example.com');
    h.clock.advance(601);
    expect((await h.call('GET', '/api/v1/me', { token: login.accessToken })).body.code).toBe('AUTH_TOKEN_INVALID');
    const refreshed = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } });
    expect(refreshed.status).toBe(200);
    h.clock.advance(h.config.SESSION_IDLE_TIMEOUT_SECONDS + 1);
    const late = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } });
    expect(late.body.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('sets the refresh cookie for browsers and keeps the token out of the body', async () => {
    await signUp(h, 'frank@example.com');
    const res = await h.call('POST', '/api/v1/auth/login', { body: { email: 'frank@example.com', password: 'correct horse battery staple' }, headers: { 'x-client': 'browser' } });
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).toBeUndefined();
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Secure-gatehouse_refresh=[A-Za-z0-9_-]{43}; Path=\/api\/v1\/auth; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    const value = cookie.split(';')[0]!;
    const noOrigin = await h.call('POST', '/api/v1/auth/refresh', { body: {}, headers: { cookie: value } });
    expect(noOrigin.body.code).toBe('ORIGIN_NOT_ALLOWED');
    const evil = await h.call('POST', '/api/v1/auth/refresh', { body: {}, headers: { cookie: value, origin: 'https://evil.example' } });
    expect(evil.body.code).toBe('ORIGIN_NOT_ALLOWED');
    const ok = await h.call('POST', '/api/v1/auth/refresh', { body: {}, headers: { cookie: value, origin: 'http://localhost:3000', 'x-client': 'browser' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toContain('__Secure-gatehouse_refresh=');
  });
});
