import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

describe('security headers behind an https public URL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { PUBLIC_URL: 'https://id.example.com', CORS_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => h.close());

  it('sends HSTS, nosniff, frame-ancestors, referrer policy and no-store on token responses', async () => {
    await h.call('POST', '/api/v1/auth/register', { body: { email: 'hsts@example.com', password: 'correct horse battery staple' } });
    const res = await h.call('POST', '/api/v1/auth/login', { body: { email: 'hsts@example.com', password: 'correct horse battery staple' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('lets only allowlisted origins use the refresh cookie', async () => {
    const login = await signUp(h, 'cookie@example.com');
    const cookie = `__Secure-gatehouse_refresh=${login.refreshToken}`;
    const foreign = await h.call('POST', '/api/v1/auth/refresh', { body: {}, headers: { cookie, origin: 'https://evil.example.com' } });
    expect([foreign.status, foreign.body.code]).toEqual([403, 'ORIGIN_NOT_ALLOWED']);
    const app = await h.call('POST', '/api/v1/auth/refresh', { body: {}, headers: { cookie, origin: 'https://app.example.com' } });
    expect(app.status).toBe(200);
    expect(app.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const logout = await h.call('POST', '/api/v1/auth/logout', { body: {}, headers: { cookie: `__Secure-gatehouse_refresh=${app.body.refreshToken}`, origin: 'https://evil.example.com' } });
    expect(logout.body.code).toBe('ORIGIN_NOT_ALLOWED');
  });
});
