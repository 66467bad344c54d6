import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areaOf, AreaRouters } from '../../src/adapters/http/area-routers.js';
import { allRoutes } from '../../src/adapters/http/app.js';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

describe('routing by area', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    token = String((await signUp(h, 'routing@example.com')).accessToken);
  });
  afterAll(() => h.close());

  it('names an area by its first three path segments, lower-cased, empty segments skipped', () => {
    expect(areaOf('/api/v1/organizations/7c1e/members')).toBe('/api/v1/organizations');
    expect(areaOf('/API/V1/Me/')).toBe('/api/v1/me');
    expect(areaOf('/health')).toBe('/health');
    expect(areaOf('/.well-known/jwks.json')).toBe('/.well-known/jwks.json');
    expect(areaOf('//api//v1/me')).toBe('/api/v1/me');
    expect(areaOf('/')).toBe('');
    expect(areaOf('/health/')).toBe('/health');
    expect(areaOf('/api/v1/me/')).toBe('/api/v1/me');
    expect(areaOf('/api/v1')).toBe('/api/v1');
    expect(areaOf('/api//v1/me/x')).toBe('/api/v1/me');
  });

  it('finds the same area on its fast path as by splitting into segments, for any path', () => {
    const reference = (path: string) => `/${path.toLowerCase().split('/').filter(Boolean).slice(0, 3).join('/')}`.replace(/^\/$/, '');
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%:-]{0,6}$/);
    fc.assert(fc.property(fc.array(segment, { maxLength: 6 }), fc.boolean(), (segments, trailing) => {
      const path = `/${segments.join('/')}${trailing ? '/' : ''}`;
      expect(areaOf(path)).toBe(reference(path));
    }), { numRuns: 2000 });
  });

  it('refuses a route whose area would depend on a parameter', () => {
    expect(() => new AreaRouters().for('/api/:version/me')).toThrow(/must be literal/);
    expect(() => new AreaRouters().for('/api/v1/:anything')).toThrow(/must be literal/);
  });

  it('gives every route of the API an area with literal segments', () => {
    const routers = new AreaRouters();
    const deps = new Proxy({}, { get: () => ({}) }) as Parameters<typeof allRoutes>[0];
    for (const route of allRoutes(deps)) expect(() => routers.for(route.path)).not.toThrow();
  });

  it('serves the same requests the single router served: any case, a trailing slash, nested paths', async () => {
    expect((await h.call('GET', '/api/v1/me', { token })).status).toBe(200);
    expect((await h.call('GET', '/API/V1/ME', { token })).status).toBe(200);
    expect((await h.call('GET', '/api/v1/me/', { token })).status).toBe(200);
    expect((await h.call('GET', '/api/v1/auth/sessions', { token })).status).toBe(200);
    expect((await h.call('GET', '/API/v1/organizations/', { token })).status).toBe(200);
    expect((await h.call('GET', '/api/v1/organizations', { token })).status).toBe(200);
    expect((await h.call('GET', '/health')).status).toBe(200);
    expect((await h.call('GET', '/.well-known/jwks.json')).status).toBe(200);
    expect((await h.call('GET', '/openapi.json')).status).toBe(200);
  });

  it('answers unknown paths 404 and a known path with another method 405, in every area', async () => {
    for (const path of ['/nowhere', '/api/v1/nowhere', '/api/v1/me/nowhere', '/api//v1/me', '/api/v2/me', '/']) {
      const res = await h.call('GET', path, { token });
      expect([path, res.status, res.body['code']]).toEqual([path, 404, 'ROUTE_NOT_FOUND']);
    }
    for (const [method, path] of [['DELETE', '/api/v1/me'], ['PUT', '/health'], ['POST', '/.well-known/jwks.json'], ['DELETE', '/api/v1/organizations']] as const) {
      const res = await h.call(method, path, { token });
      expect([path, res.status, res.body['code']]).toEqual([path, 405, 'METHOD_NOT_ALLOWED']);
    }
  });
});
