import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMikroOrmPersistence } from '../../../src/adapters/persistence/mikro-orm/index.js';
import { Organization } from '../../../src/domain/tenancy/organization.js';
import { openDatabase } from '../../../src/infrastructure/database/open-database.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const OPEN_DATABASE = new URL('../../../src/infrastructure/database/open-database.ts', import.meta.url).pathname;

/** The pid of the process serving an embedded data directory: the one its lock names. */
async function hostPid(dataDir: string): Promise<number> {
  return Number((await readFile(`${dataDir}.lock`, 'utf8')).trim());
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('embedded database in a data directory: its own process', () => {
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gatehouse-host-'));
    dataDir = join(root, 'data');
    // Initialised and migrated once; each test opens it again.
    const db = await openDatabase({ dataDir });
    await db.migrate();
    await db.close();
  }, 60_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is served by a child process, which survives signals meant for the group and is ended by close', async () => {
    const db = await openDatabase({ dataDir });
    const pid = await hostPid(dataDir);
    try {
      expect(pid).not.toBe(process.pid);
      expect(alive(pid)).toBe(true);
      // Ctrl-C reaches every process of the group; the database must outlive the parent's graceful shutdown.
      process.kill(pid, 'SIGINT');
      process.kill(pid, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      expect(await createMikroOrmPersistence(db.orm).ping()).toBe(true);
    } finally {
      await db.close();
    }
    expect(alive(pid)).toBe(false);
    await expect(readFile(`${dataDir}.lock`, 'utf8')).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it('dumps the data directory through the child process', async () => {
    const db = await openDatabase({ dataDir });
    try {
      await createMikroOrmPersistence(db.orm).orgs.save(Organization.create({ id: 'org-dumped', slug: 'dumped', name: 'Dumped', now: T0 }));
      const dump = await db.dumpEmbedded();
      const copy = await openDatabase({ dataDir: 'memory://', loadDataDir: dump });
      try {
        expect((await createMikroOrmPersistence(copy.orm).orgs.findBySlug('dumped'))?.id).toBe('org-dumped');
      } finally {
        await copy.close();
      }
    } finally {
      await db.close();
    }
  }, 60_000);

  it('tells the owner when the child process dies, so the server can stop instead of answering without a database', async () => {
    const exits: string[] = [];
    const db = await openDatabase({ dataDir, onEmbeddedExit: (description) => exits.push(description) });
    try {
      process.kill(await hostPid(dataDir), 'SIGKILL');
      await until(() => exits.length > 0);
      expect(exits).toEqual(['signal SIGKILL']);
      expect(await createMikroOrmPersistence(db.orm).ping()).toBe(false);
    } finally {
      await db.close();
    }
    // The killed host left its lock behind; its pid is gone, so the next start takes it over.
    const again = await openDatabase({ dataDir });
    await again.close();
  }, 60_000);

  it('leaves a usable data directory when the process that asked for it is killed while it is being created', async () => {
    const fresh = join(root, 'interrupted');
    const script = `
      import { openDatabase } from ${JSON.stringify(OPEN_DATABASE)};
      await openDatabase({ dataDir: ${JSON.stringify(fresh)} });
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    // The host takes the lock just before PGlite starts creating the directory.
    await until(() => readFile(`${fresh}.lock`, 'utf8').then((pid) => pid.trim() !== '', () => false), 60_000);
    const host = await hostPid(fresh);
    parent.kill('SIGKILL');
    await until(() => !alive(host), 60_000);
    const db = await openDatabase({ dataDir: fresh });
    try {
      expect(await db.migrate()).not.toEqual([]);
      expect(await createMikroOrmPersistence(db.orm).ping()).toBe(true);
    } finally {
      await db.close();
    }
  }, 120_000);

  it('closes the database and frees the data directory when the process that opened it is killed', async () => {
    const script = `
      import { openDatabase } from ${JSON.stringify(OPEN_DATABASE)};
      import { createMikroOrmPersistence } from ${JSON.stringify(new URL('../../../src/adapters/persistence/mikro-orm/index.ts', import.meta.url).pathname)};
      import { Organization } from ${JSON.stringify(new URL('../../../src/domain/tenancy/organization.ts', import.meta.url).pathname)};
      const db = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} });
      await createMikroOrmPersistence(db.orm).orgs.save(Organization.create({ id: 'org-orphan', slug: 'orphan', name: 'Orphan', now: new Date(${T0.getTime()}) }));
      process.stdout.write('saved\\n');
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await until(() => out.includes('saved') || parent.exitCode !== null, 60_000);
    expect(out).toContain('saved');
    const host = await hostPid(dataDir);
    parent.kill('SIGKILL');
    // The host sees its parent's channel close, closes PGlite and removes its lock.
    await until(() => !alive(host));
    const db = await openDatabase({ dataDir });
    try {
      expect((await createMikroOrmPersistence(db.orm).orgs.findBySlug('orphan'))?.id).toBe('org-orphan');
    } finally {
      await db.close();
    }
  }, 90_000);
});
