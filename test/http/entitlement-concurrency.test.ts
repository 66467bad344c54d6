// Plan limits under concurrency: the tenant lock, the count and the insert share one unit of work,
// so ten simultaneous additions at limit - 1 let exactly one through, on every store.
import { describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/http-harness.js';
import { inMemoryPersistence, postgresLabel, postgresPersistence, type TestPersistence } from '../support/test-database.js';
import { accessWorld } from './access-fixtures.js';

const stores: [name: string, make: () => Promise<TestPersistence>][] = [
  ['in-memory', inMemoryPersistence],
  // A fresh migrated database: the run's PostgreSQL server, or embedded PGlite when there is none.
  [postgresLabel(), postgresPersistence],
];

describe.each(stores)('entitlement limits under concurrency on %s', (_name, make) => {
  async function withHarness(work: (h: Harness, store: TestPersistence) => Promise<void>): Promise<void> {
    const store = await make();
    const h = await startHarness({ persistence: store.persistence });
    try {
      await work(h, store);
    } finally {
      await h.close();
      await store.cleanup();
    }
  }

  it('10 concurrent entity registrations at limit - 1 yield exactly one success', async () => {
    await withHarness(async (h, store) => {
      const w = await accessWorld(h, 'race-entities', {});
      const register = (name: string) => h.call('POST', `/api/v1/organizations/${w.org.id}/entities`, { token: w.admin.token, body: { type: 'boat', name } });
      for (let i = 1; i <= 4; i++) expect((await register(`Boat ${i}`)).status).toBe(201);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => register(`Racer ${i}`)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused.map((r) => r.body.code)).toEqual(Array(9).fill('ENTITLEMENT_EXCEEDED'));
      expect(await store.persistence.entities.count(w.org.id)).toBe(5);
    });
  });

  it('10 concurrent invitations at limit - 1 yield exactly one success and no stray user', async () => {
    await withHarness(async (h, store) => {
      const w = await accessWorld(h, 'race-seats', { bob: 'member' });
      const invite = (email: string) => h.call('POST', `/api/v1/organizations/${w.org.id}/members`, { token: w.admin.token, body: { email, role: 'viewer' } });
      for (const name of ['x', 'y']) expect((await invite(`race-seats-${name}@example.com`)).status).toBe(201);
      const emails = Array.from({ length: 10 }, (_, i) => `race-seats-racer${i}@example.com`);
      const results = await Promise.all(emails.map(invite));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status !== 201).map((r) => r.body.code)).toEqual(Array(9).fill('ENTITLEMENT_EXCEEDED'));
      expect(await store.persistence.memberships.listByTenant(w.org.id)).toHaveLength(5);
      const users = await Promise.all(emails.map((e) => store.persistence.users.findByEmail(e)));
      expect(users.filter(Boolean)).toHaveLength(1);
    });
  });
});
