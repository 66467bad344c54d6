// Two Gatehouse processes' worth of wiring (each its own ORM and connection pool, its own access
// view cache) on one PostgreSQL database, sharing Redis: a change made through node A must be seen
// by the very next decision on node B, which had the organization's view cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMikroOrmPersistence } from '../../src/adapters/persistence/mikro-orm/index.js';
import type { AccessViews } from '../../src/application/services/access-views.js';
import { type Database, openDatabase } from '../../src/infrastructure/database/open-database.js';
import { T } from '../../src/infrastructure/di/tokens.js';
import { type Harness, startHarness } from '../support/http-harness.js';
import { postgresPersistence, type TestDatabase } from '../support/test-database.js';
import { type Actor, accessWorld, type AccessWorld, decision, grant, registerEntity } from './access-fixtures.js';
import { redisAnswers as probeRedis } from '../support/redis.js';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redisAnswers = await probeRedis(REDIS_URL);
if (!redisAnswers && process.env['CI']) throw new Error(`CI needs Redis for the two-node access test at ${REDIS_URL} (set TEST_REDIS_URL)`);

interface Cluster {
  a: Harness;
  b: Harness;
  close(): Promise<void>;
}

/** Two nodes on one database; `env` decides the bus (REDIS_URL or not). */
async function cluster(env: Record<string, string>): Promise<Cluster> {
  const db: TestDatabase = await postgresPersistence();
  let second: Database | null = null;
  const nodes: Harness[] = [];
  try {
    nodes.push(await startHarness({ env, persistence: db.persistence, databaseUrl: db.url }));
    second = await openDatabase({ url: db.url, dataDir: 'unused', poolMax: 4 });
    nodes.push(await startHarness({ env, persistence: createMikroOrmPersistence(second.orm), databaseUrl: db.url }));
  } catch (error) {
    for (const node of nodes) await node.close();
    await second?.close();
    await db.cleanup();
    throw error;
  }
  return {
    a: nodes[0]!,
    b: nodes[1]!,
    async close() {
      for (const node of nodes) await node.close();
      await second?.close();
      await db.cleanup();
    },
  };
}

describe.skipIf(!redisAnswers)('two Gatehouse nodes, one database, REDIS_URL set', () => {
  let c: Cluster;
  let w: AccessWorld;
  let bViews: AccessViews;
  let boat: string;
  let people: Record<'bob' | 'carol' | 'dave', Actor>;

  beforeAll(async () => {
    c = await cluster({ REDIS_URL });
    bViews = c.b.gatehouse.container.get<AccessViews>(T.AccessViews);
    w = await accessWorld(c.a, `two-nodes-${Date.now().toString(36)}`, { bob: 'manager', carol: 'member', dave: 'viewer' });
    people = { bob: w.members['bob']!, carol: w.members['carol']!, dave: w.members['dave']! };
    boat = await registerEntity(c.a, w, 'Shared Boat');
  }, 60_000);
  afterAll(() => c?.close());

  const path = (rest: string) => `/api/v1/organizations/${w.org.id}${rest}`;

  /** Asks node B twice; the second answer must come from B's cached view. */
  async function cachedOnB(actor: Actor, action: string, entity?: string) {
    await decision(c.b, actor, action, entity);
    const builds = bViews.builds;
    const answer = await decision(c.b, actor, action, entity);
    expect(bViews.builds, 'node B answered from its cache').toBe(builds);
    return answer;
  }

  it('both nodes use the Redis bus', () => {
    for (const node of [c.a, c.b]) expect(node.gatehouse.container.get<{ constructor: { name: string } }>(T.Bus).constructor.name).toBe('RedisInvalidationBus');
  });

  it('a grant, its change and its revocation on A are seen at once on B', async () => {
    expect((await cachedOnB(people.carol, 'entity:view', boat)).allowed).toBe(false);
    expect((await grant(c.a, w, people.bob, boat, people.carol, 'viewer')).status).toBe(201);
    expect(await decision(c.b, people.carol, 'entity:view', boat)).toEqual({ allowed: true, level: 'viewer', reason: 'grant' });
    await cachedOnB(people.carol, 'entity:edit', boat);
    await c.a.call('PATCH', path(`/entities/${boat}/grants/${people.carol.memberId}`), { token: people.bob.token, body: { level: 'editor' } });
    expect((await decision(c.b, people.carol, 'entity:edit', boat)).allowed).toBe(true);
    await cachedOnB(people.carol, 'entity:view', boat);
    await c.a.call('DELETE', path(`/entities/${boat}/grants/${people.carol.memberId}`), { token: people.bob.token });
    expect((await decision(c.b, people.carol, 'entity:view', boat)).allowed).toBe(false);
  });

  it('a role change on A is seen at once on B', async () => {
    expect((await cachedOnB(people.dave, 'entity:view', boat)).allowed).toBe(true);
    await c.a.call('PATCH', path(`/members/${people.dave.memberId}`), { token: w.admin.token, body: { role: 'member' } });
    expect(await decision(c.b, people.dave, 'entity:view', boat)).toEqual({ allowed: false, level: null, reason: 'no_grant' });
    await cachedOnB(people.dave, 'entity:delete', boat);
    await c.a.call('PATCH', path(`/members/${people.dave.memberId}`), { token: w.admin.token, body: { role: 'manager' } });
    expect(await decision(c.b, people.dave, 'entity:delete', boat)).toEqual({ allowed: true, level: 'manager', reason: 'org_role' });
  });

  it('a custom role edit on A is seen at once on B (nothing of the member changes: only the bus can tell B)', async () => {
    await c.a.call('POST', path('/roles'), { token: w.admin.token, body: { key: 'crew', name: 'Crew', permissions: ['entity:view'] } });
    await c.a.call('PATCH', path(`/members/${people.carol.memberId}`), { token: w.admin.token, body: { customRoles: ['crew'] } });
    expect((await cachedOnB(people.carol, 'entity:edit', boat)).allowed).toBe(false);
    await c.a.call('PATCH', path('/roles/crew'), { token: w.admin.token, body: { permissions: ['entity:view', 'entity:edit'] } });
    expect(await decision(c.b, people.carol, 'entity:edit', boat)).toEqual({ allowed: true, level: null, reason: 'custom_role' });
    await cachedOnB(people.carol, 'entity:view', boat);
    await c.a.call('DELETE', path('/roles/crew'), { token: w.admin.token });
    expect((await decision(c.b, people.carol, 'entity:view', boat)).allowed).toBe(false);
  });

  it('an entity deletion on A is seen at once on B', async () => {
    const doomed = await registerEntity(c.a, w, 'Doomed');
    await grant(c.a, w, w.admin, doomed, people.carol, 'admin');
    expect((await cachedOnB(people.carol, 'entity:delete', doomed)).allowed).toBe(true);
    expect((await c.a.call('DELETE', path(`/entities/${doomed}`), { token: w.admin.token })).status).toBe(204);
    expect((await c.b.call('POST', '/api/v1/authorize', { token: people.carol.token, body: { action: 'entity:view', entity: doomed } })).body.code).toBe('ENTITY_NOT_FOUND');
  });

  it('a member removal on A is seen at once on B', async () => {
    await grant(c.a, w, w.admin, boat, people.bob, 'admin');
    expect((await cachedOnB(people.bob, 'entity:share', boat)).allowed).toBe(true);
    expect((await c.a.call('DELETE', path(`/members/${people.bob.memberId}`), { token: w.admin.token })).status).toBe(204);
    // The session revocation travels on the same bus: B refuses the token, the grant is gone.
    expect((await c.b.call('POST', '/api/v1/authorize', { token: people.bob.token, body: { action: 'entity:view', entity: boat } })).body.code).toBe('AUTH_SESSION_REVOKED');
    expect((await c.b.call('GET', path(`/entities/${boat}/grants`), { token: w.admin.token })).body.grants.map((g: { memberId: string }) => g.memberId)).not.toContain(people.bob.memberId);
  });
});

describe('control: two nodes without REDIS_URL', () => {
  it('node B keeps its cached view after a grant on A — what REDIS_URL is for', async () => {
    const c = await cluster({});
    try {
      const w = await accessWorld(c.a, `two-nodes-control-${Date.now().toString(36)}`, { carol: 'member' });
      const boat = await registerEntity(c.a, w, 'Boat');
      expect((await decision(c.b, w.members['carol']!, 'entity:view', boat)).allowed).toBe(false);
      await grant(c.a, w, w.admin, boat, w.members['carol']!, 'viewer');
      expect((await decision(c.a, w.members['carol']!, 'entity:view', boat)).allowed).toBe(true);
      expect((await decision(c.b, w.members['carol']!, 'entity:view', boat)).allowed).toBe(false);
    } finally {
      await c.close();
    }
  }, 60_000);
});

