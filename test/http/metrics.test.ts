import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

describe('GET /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { METRICS_TOKEN: 'metrics-token-of-some-length' } });
  });
  afterAll(() => h.close());

  it('needs the configured token', async () => {
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-same-len' } })).status).toBe(401);
  });

  it('counts requests by route template (never by raw path) and exposes runtime metrics', async () => {
    const login = await signUp(h, 'metrics@example.com');
    await h.call('GET', '/api/v1/me', { token: login.accessToken });
    await h.call('GET', `/api/v1/organizations/${'00000000-0000-4000-8000-000000000000'}`, { token: login.accessToken });
    const text = await (await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-of-some-length' } })).text();
    expect(text).toMatch(/gatehouse_http_requests_total\{method="GET",route="\/api\/v1\/me",status="200"\} 1/);
    expect(text).toContain('route="/api/v1/organizations/:org",status="404"');
    expect(text).not.toContain('00000000-0000-4000-8000-000000000000');
    expect(text).toContain('gatehouse_nodejs_heap_size_used_bytes');
    expect(text).toContain('gatehouse_http_request_duration_seconds_bucket');
  });

  it('counts a refused request under the status it was answered with', async () => {
    // A refusal is counted after it has been mapped to its status: not as the 404 koa starts with.
    expect((await h.call('GET', '/api/v1/me')).status).toBe(401);
    expect((await h.call('POST', '/api/v1/auth/login', { body: {} })).status).toBe(400);
    const text = await (await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-of-some-length' } })).text();
    expect(text).toMatch(/gatehouse_http_requests_total\{method="GET",route="\/api\/v1\/me",status="401"\} 1/);
    expect(text).toMatch(/gatehouse_http_requests_total\{method="POST",route="\/api\/v1\/auth\/login",status="400"\} 1/);
    expect(text).not.toContain('route="/api/v1/auth/login",status="404"');
  });

  it('exposes the password-hash pool: hashes done, rests taken under load, hashes waiting', async () => {
    const read = async () => (await fetch(`${h.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-of-some-length' } })).text();
    const hashes = (text: string) => Number(/^gatehouse_password_hashes_total (\d+)$/m.exec(text)?.[1]);
    const before = hashes(await read());
    await signUp(h, 'metrics-hashes@example.com');
    const text = await read();
    expect(hashes(text)).toBeGreaterThan(before);
    expect(text).toMatch(/^gatehouse_password_hash_rests_total \d+$/m);
    expect(text).toMatch(/^gatehouse_password_hash_rest_seconds_total [\d.]+$/m);
    expect(text).toMatch(/^gatehouse_password_hash_queue 0$/m);
  });
});
