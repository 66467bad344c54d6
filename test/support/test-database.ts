import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import { createMikroOrmPersistence, type MikroOrmPersistence } from '../../src/adapters/persistence/mikro-orm/index.js';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import { openDatabase, type Database } from '../../src/infrastructure/database/open-database.js';

/** A store for one test or suite, and how to dispose of it. */
export interface TestPersistence {
  persistence: Persistence;
  /** What it runs on, for test names ("in-memory", "PostgreSQL 15.20 (TEST_DATABASE_URL)", …). */
  label: string;
  cleanup(): Promise<void>;
}

/** A migrated database, with its ORM and URL for other clients (pg-boss, rate limiters). */
export interface TestDatabase extends TestPersistence {
  persistence: MikroOrmPersistence;
  orm: MikroORM;
  url: string;
  embedded: boolean;
}

/** Where `postgresPersistence` runs, known before creating anything (for describe names). */
export function postgresLabel(): string {
  const server = inject('testPostgres');
  return server ? `PostgreSQL ${server.version} (${server.source})` : 'PostgreSQL on embedded PGlite (no container runtime, no TEST_DATABASE_URL)';
}

/** A fresh in-memory store. */
export async function inMemoryPersistence(): Promise<TestPersistence> {
  return { persistence: createInMemoryPersistence(), label: 'in-memory', cleanup: async () => {} };
}

let databases = 0;

/**
 * A fresh, migrated, uniquely named database on the run's PostgreSQL server; `cleanup` closes
 * the ORM and drops it. Without a server: a fresh embedded PGlite served over a socket, the
 * way production runs without DATABASE_URL.
 */
export async function postgresPersistence(options: { poolMax?: number } = {}): Promise<TestDatabase> {
  const server = inject('testPostgres');
  const label = postgresLabel();
  if (!server) {
    const db = await openEmbedded();
    return handle(db, label, () => db.close());
  }
  const fresh = await emptyDatabase(server.adminUrl, `${process.pid}_${++databases}`);
  let db: Database;
  try {
    db = await openDatabase({ url: fresh.url, dataDir: 'unused', ...options });
    await db.migrate();
  } catch (error) {
    await fresh.drop();
    throw error;
  }
  return handle(db, label, async () => {
    await db.close();
    await fresh.drop();
  });
}

/** A new, empty, uniquely named database on the run's PostgreSQL server (`tag` goes into its name), and how to drop it. */
export async function emptyDatabase(adminUrl: string, tag: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${inject('testDatabasePrefix')}${tag}_${randomBytes(2).toString('hex')}`;
  await admin(adminUrl, `create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(adminUrl, `drop database if exists "${name}" with (force)`) };
}

let sharedPglite: Promise<Database> | null = null;

/**
 * Embedded PGlite (in this process, behind its socket server), one instance per test file:
 * every call empties its tables and returns a new Persistence over it, so earlier handles of
 * the same file see the wipe. `cleanup` does nothing; the instance closes after the file.
 */
export async function pglitePersistence(): Promise<TestDatabase> {
  sharedPglite ??= openEmbedded();
  const db = await sharedPglite;
  await db.orm.em
    .fork()
    .execute('truncate table identity_events, identity_links, onboarding_progress, billing_checkouts, processed_billing_events, recovery_codes, totp_factors, outbox_messages, audit_events, signing_keys, one_time_tokens, refresh_tokens, sessions, entity_grants, custom_roles, entities, memberships, users, organizations');
  return handle(db, 'PGlite', async () => {});
}

afterAll(async () => {
  const db = sharedPglite;
  sharedPglite = null;
  if (db) await (await db).close();
});

async function openEmbedded(): Promise<Database> {
  const template = new Blob([await readFile(inject('pgliteTemplate'))]);
  const db = await openDatabase({ dataDir: 'memory://', loadDataDir: template });
  await db.migrate();
  return db;
}

function handle(db: Database, label: string, cleanup: () => Promise<void>): TestDatabase {
  return { persistence: createMikroOrmPersistence(db.orm), orm: db.orm, url: db.url, embedded: db.embedded, label, cleanup };
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
