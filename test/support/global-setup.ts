import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/infrastructure/database/open-database.js';

/** A PostgreSQL server the "PostgreSQL" test variants create their databases on. */
export interface TestPostgresServer {
  /** URL of a database on that server from which to CREATE/DROP test databases. */
  adminUrl: string;
  source: 'testcontainers' | 'TEST_DATABASE_URL';
  version: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server for "PostgreSQL" variants; null: they run on embedded PGlite instead. */
    testPostgres: TestPostgresServer | null;
    /** Path of a PGlite data-directory dump with every migration applied (fast PGlite start). */
    pgliteTemplate: string;
    /** Prefix of every database this run creates on the server, so teardown can drop leftovers. */
    testDatabasePrefix: string;
  }
}

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Chooses the database for the whole run: a Testcontainers PostgreSQL when a container runtime
 * answers, else the server in TEST_DATABASE_URL (CI), else none (embedded PGlite). Also prepares
 * the migrated PGlite template, cached on disk by migrations and PGlite version.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardown: (() => Promise<void>)[] = [];
  const prefix = `gatehouse_test_${randomBytes(4).toString('hex')}_`;
  let server: TestPostgresServer | null = null;
  const container = await startContainer();
  if (container) {
    teardown.push(() => container.stop().then(() => undefined));
    server = { adminUrl: container.getConnectionUri(), source: 'testcontainers', version: await serverVersion(container.getConnectionUri()) };
  } else if (process.env['TEST_DATABASE_URL']) {
    const adminUrl = process.env['TEST_DATABASE_URL'];
    server = { adminUrl, source: 'TEST_DATABASE_URL', version: await serverVersion(adminUrl) };
    teardown.push(() => dropLeftovers(adminUrl, prefix));
  }
  project.provide('testPostgres', server);
  project.provide('testDatabasePrefix', prefix);
  project.provide('pgliteTemplate', await pgliteTemplate());
  return async () => {
    for (const step of teardown.reverse()) await step();
  };
}

async function startContainer() {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    // Fails within milliseconds when there is no Docker/Podman: the cheap up-front check.
    await getContainerRuntimeClient();
  } catch {
    return null;
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  return new PostgreSqlContainer('postgres:16-alpine').start();
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but the server does not answer: ${(error as Error).message}`);
  }
  try {
    const result = await client.query<{ server_version: string }>('show server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

/** Drops databases of this run that a crashed test file left behind. */
async function dropLeftovers(adminUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await client.end();
  }
}

/** A migrated PGlite dump: built once (~4 s of initdb), then reused until a migration or PGlite changes. */
async function pgliteTemplate(): Promise<string> {
  const migrationsDir = join(ROOT, 'src/infrastructure/database/migrations');
  const hash = createHash('sha256');
  for (const file of (await readdir(migrationsDir)).sort()) hash.update(file).update(await readFile(join(migrationsDir, file)));
  hash.update(await readFile(join(ROOT, 'node_modules/@electric-sql/pglite/package.json')));
  const cacheDir = join(ROOT, 'node_modules/.cache/gatehouse-test');
  const path = join(cacheDir, `pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  if (await exists(path)) return path;
  await mkdir(cacheDir, { recursive: true });
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    await db.migrate();
    const dump = await db.dumpEmbedded();
    const partial = `${path}.${process.pid}.tmp`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path); // atomic: concurrent runs never read half a file
  } finally {
    await db.close();
  }
  return path;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
