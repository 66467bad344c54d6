// Text PostgreSQL cannot store or compare (U+0000, lone UTF-16 surrogates, times beyond year 9999) is bad input: 400 with a stable
// code, never the 500 a failed statement would give. Run on PostgreSQL, where the driver refuses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';
import { postgresPersistence, type TestDatabase } from '../support/test-database.js';

const cursor = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('hostile text never reaches the database [PostgreSQL]', () => {
  let db: TestDatabase;
  let h: Harness;
  let token: string;
  let org: string;
  beforeAll(async () => {
    db = await postgresPersistence();
    h = await startHarness({ persistence: db.persistence });
    token = (await signUp(h, 'nul@example.com')).accessToken;
    const created = await h.call('POST', '/api/v1/organizations', { token, body: { name: 'Nul Inc' } });
    expect(created.status).toBe(201);
    org = created.body.id;
  });
  afterAll(async () => {
    await h.close();
    await db.cleanup();
  });

  it('refuses U+0000 in paths, bodies and queries with VALIDATION_FAILED', async () => {
    const cases: [string, string, unknown, string][] = [
      ['GET', '/api/v1/organizations/%00', undefined, 'path.org'],
      ['GET', `/api/v1/organizations/ab%00/members`, undefined, 'path.org'],
      ['POST', '/api/v1/organizations', { name: '\u0000\u0000' }, 'body.name'],
      ['PATCH', `/api/v1/organizations/${org}`, { name: 'x\u0000y' }, 'body.name'],
      ['POST', `/api/v1/organizations/${org}/roles`, { key: 'nulrole', name: 'a\u0000b', permissions: [] }, 'body.name'],
      ['POST', '/api/v1/auth/login', { email: 'nul@example.com', password: 'correct horse battery staple', organization: 'a\u0000b' }, 'body.organization'],
      ['GET', '/api/v1/billing/status?session_id=cs_%00', undefined, 'query.session_id'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await h.call(method, path, { token, ...(body === undefined ? {} : { body }) });
      expect([res.status, res.body.code], `${method} ${path}`).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.issues.map((i: { path: string }) => i.path), `${method} ${path}`).toEqual([field]);
    }
  });

  it('refuses strings that are not well-formed Unicode (lone surrogates) in bodies with VALIDATION_FAILED', async () => {
    // JSON may spell a lone surrogate; no UTF-8 text or json column can hold one (was a 500), nor can
    // the Stripe SDK encode one into a form (was a 503 from checkout).
    const cases: [string, string, unknown, string][] = [
      ['POST', `/api/v1/organizations/${org}/entities`, { type: 'boat', name: 'a\ud800' }, 'body.name'],
      ['POST', `/api/v1/organizations/${org}/roles`, { key: 'surrogate', name: 'r\udc00', permissions: [] }, 'body.name'],
      ['PATCH', `/api/v1/organizations/${org}`, { name: '\udfff\ud800' }, 'body.name'],
      ['POST', '/api/v1/billing/checkout', { planId: 'starter', email: 'a@b.co', organizationName: 'x\ud800' }, 'body.organizationName'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await h.call(method, path, { token, body });
      expect([res.status, res.body.code], `${method} ${path}`).toEqual([400, 'VALIDATION_FAILED']);
      expect(res.body.issues.map((i: { path: string }) => i.path), `${method} ${path}`).toEqual([field]);
    }
    // A well-formed pair is one astral character, and fine.
    const pair = await h.call('POST', `/api/v1/organizations/${org}/entities`, { token, body: { type: 'boat', name: 'sail \ud83d\udea4' } });
    expect(pair.status).toBe(201);
  });

  it('refuses forged audit cursors: years PostgreSQL cannot hold, non-canonical times, ids that are not event ids', async () => {
    expect((await h.call('PATCH', `/api/v1/organizations/${org}`, { token, body: { name: 'Nul Incorporated' } })).status).toBe(200);
    const real = await h.call('GET', `/api/v1/organizations/${org}/audit-log?limit=1`, { token });
    expect(real.status).toBe(200);
    expect(typeof real.body.nextCursor).toBe('string');
    expect((await h.call('GET', `/api/v1/organizations/${org}/audit-log?limit=1&cursor=${real.body.nextCursor}`, { token })).status).toBe(200);
    const id = '0190a5e4-0000-7000-8000-000000000000';
    for (const forged of ['99999-01-01|' + id, '+275760-09-13T00:00:00.000Z|' + id, '-271821-04-20T00:00:00.000Z|' + id, '2030-01-01|' + id, '2030-01-01T00:00:00.000Z|x\u0000', '2030-01-01T00:00:00.000Z|evt-1']) {
      const res = await h.call('GET', `/api/v1/organizations/${org}/audit-log?cursor=${cursor(forged)}`, { token });
      expect([res.status, res.body.code], forged).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});
