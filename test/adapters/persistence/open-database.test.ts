import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createMikroOrmPersistence } from '../../../src/adapters/persistence/mikro-orm/index.js';
import { Organization } from '../../../src/domain/tenancy/organization.js';
import { migrations } from '../../../src/infrastructure/database/migrations/index.js';
import { openDatabase } from '../../../src/infrastructure/database/open-database.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');

describe('openDatabase', () => {
  it('runs an embedded PGlite in a data directory that keeps its data across restarts', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'gatehouse-db-')), 'nested', 'data');
    try {
      const first = await openDatabase({ dataDir });
      expect(first.embedded).toBe(true);
      expect(first.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(await first.pendingMigrations()).toBe(migrations.length);
      expect(await first.migrate()).toEqual(migrations.map((m) => m.name));
      expect(await first.pendingMigrations()).toBe(0);
      await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process/);
      const persistence = createMikroOrmPersistence(first.orm);
      await persistence.orgs.save(Organization.create({ id: 'org-1', slug: 'kept', name: 'Kept', now: T0 }));
      await first.close();
      await first.close();
      expect(await persistence.ping()).toBe(false);

      const second = await openDatabase({ dataDir });
      try {
        expect(await second.migrate()).toEqual([]);
        expect((await createMikroOrmPersistence(second.orm).orgs.findBySlug('kept'))?.id).toBe('org-1');
      } finally {
        await second.close();
      }
    } finally {
      await rm(join(dataDir, '..', '..'), { recursive: true, force: true });
    }
  }, 60_000);

  it('migrates down and up again', async () => {
    const db = await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([await readFile(inject('pgliteTemplate'))]) });
    try {
      const tables = async () =>
        (await db.orm.em.fork().execute<{ name: string }[]>("select table_name as name from information_schema.tables where table_schema = 'public' order by 1")).map(
          (r) => r.name,
        );
      // Later migrations add tables of their own; the first one's must all be there.
      expect(await tables()).toEqual(
        expect.arrayContaining(['audit_events', 'entities', 'memberships', 'mikro_orm_migrations', 'one_time_tokens', 'organizations', 'refresh_tokens', 'sessions', 'signing_keys', 'users']),
      );
      await db.orm.migrator.down({ to: 0 });
      expect(await tables()).toEqual(['mikro_orm_migrations']);
      expect(await db.migrate()).toEqual(migrations.map((m) => m.name));
      expect(await db.pendingMigrations()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('refuses to dump a database it does not embed', async () => {
    const db = await openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', dataDir: 'unused' });
    try {
      expect(db.embedded).toBe(false);
      await expect(db.dumpEmbedded()).rejects.toThrow(/embedded/);
      // The connection is lazy: an unreachable server shows in ping, not in openDatabase.
      expect(await createMikroOrmPersistence(db.orm).ping()).toBe(false);
    } finally {
      await db.close();
    }
  });
});
