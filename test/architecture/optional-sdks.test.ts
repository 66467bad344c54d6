import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { emptyDatabase } from '../support/test-database.js';

/**
 * Optional SDKs are loaded only when the configuration uses them (optional-adapters.ts,
 * docs/architecture.md). The real server entry runs in a child process with a preloaded
 * module-resolution hook (test/support/record-loaded-packages.ts) that records every npm package
 * the process resolves — static imports, dynamic imports and CommonJS requires — until it exits.
 * A static import of one of these SDKs anywhere in the default start-up graph fails the first tests.
 */

const MAIN = new URL('../../src/infrastructure/server/main.ts', import.meta.url).pathname;
const RECORDER = new URL('../support/record-loaded-packages.ts', import.meta.url).pathname;
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Each optional adapter's SDK (and the packages only it brings). */
const SDKS = {
  stripe: ['stripe'],
  smtp: ['nodemailer'],
  redis: ['ioredis'],
  svix: ['svix'],
  stytch: ['stytch', 'undici'],
  pglite: ['@electric-sql/pglite', '@electric-sql/pglite-socket'],
} as const;
const ALL_SDKS = Object.values(SDKS).flat();

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

/**
 * Starts the server entry with exactly `env` (nothing inherited from the test run), waits until
 * `/ready` answers 200 (or the process exits), stops it with SIGTERM, and returns the npm packages
 * it loaded, its exit code and output.
 */
async function packagesLoadedBy(env: Record<string, string>, options: { expectStart?: boolean } = {}): Promise<{ packages: string[]; code: number | null; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-sdks-'));
  scratch.push(dir);
  const record = join(dir, 'packages.json');
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', RECORDER, MAIN], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir, RECORD_LOADED_PACKAGES_TO: record, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DATA_DIR: join(dir, 'data'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  if (options.expectStart ?? true) {
    try {
      await untilReady(() => output, () => running);
    } finally {
      child.kill('SIGTERM');
    }
  }
  const code = await exited;
  const packages = JSON.parse(await readFile(record, 'utf8').catch(() => '[]')) as string[];
  return { packages, code, output };
}

/** Waits for the "listening on" log line, then for `/ready` to answer 200 (up to ~60 s). */
async function untilReady(output: () => string, running: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && running(); i++) {
    const url = /Gatehouse listening on (http:\/\/[^"\s]+)/.exec(output())?.[1];
    if (url && (await fetch(`${url}/ready`).then((r) => r.status === 200, () => false))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server never became ready:\n${output()}`);
}

describe('optional SDKs are loaded only when configured', () => {
  it('the default configuration (in-memory store) loads none of them', async () => {
    const run = await packagesLoadedBy({ ALLOW_IN_MEMORY_STORE: 'true' });
    expect(run.code, run.output).toBe(0);
    // The recorder sees ESM packages and CommonJS ones (rate-limiter-flexible is required, not imported).
    expect(run.packages).toEqual(expect.arrayContaining(['koa', 'inversify', 'pino', 'rate-limiter-flexible']));
    expect(run.packages.filter((p) => ALL_SDKS.includes(p as never))).toEqual([]);
  });

  it('production with DATABASE_URL loads none of them, PGlite neither', async () => {
    const server = inject('testPostgres');
    const env = { NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:3000' };
    if (!server) {
      // No PostgreSQL for this run: the server stops at its first query, having loaded what start-up loads.
      const run = await packagesLoadedBy({ ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/unreachable' }, { expectStart: false });
      expect(run.code, run.output).toBe(1);
      expect(run.packages).toContain('pg');
      expect(run.packages.filter((p) => ALL_SDKS.includes(p as never))).toEqual([]);
      return;
    }
    const fresh = await emptyDatabase(server.adminUrl, 'sdks');
    try {
      const run = await packagesLoadedBy({ ...env, DATABASE_URL: fresh.url });
      expect(run.code, run.output).toBe(0);
      expect(run.packages).toEqual(expect.arrayContaining(['koa', '@mikro-orm/postgresql', 'pg', 'rate-limiter-flexible']));
      expect(run.packages.filter((p) => ALL_SDKS.includes(p as never))).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });

  it('each is loaded when its configuration asks for it', { timeout: 120_000 }, async () => {
    const run = await packagesLoadedBy({
      // No DATABASE_URL: embedded PGlite in DATA_DIR, also the rate-limit store.
      RATE_LIMIT_STORE: 'postgres',
      REDIS_URL,
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '2525',
      SMTP_REQUIRE_TLS: 'false',
      STRIPE_SECRET_KEY: 'sk_test_optional_sdks',
      STRIPE_WEBHOOK_SECRET: 'whsec_optional_sdks',
      IDENTITY_PROVIDER: 'stytch',
      STYTCH_PROJECT_ID: 'project-test-00000000-0000-0000-0000-000000000000',
      STYTCH_SECRET: 'secret-test-optional-sdks',
      STYTCH_WEBHOOK_SECRET: `whsec_${Buffer.from('optional-sdks-webhook-secret').toString('base64')}`,
    });
    expect(run.code, run.output).toBe(0);
    // PGlite itself runs in the embedded database's own process (spawn-embedded-postgres.ts), which
    // the server starts without loading it; test/adapters/persistence/embedded-host.test.ts covers it.
    const inServer = ALL_SDKS.filter((p) => !(SDKS.pglite as readonly string[]).includes(p));
    expect(run.packages).toEqual(expect.arrayContaining(inServer));
    expect(run.packages.filter((p) => (SDKS.pglite as readonly string[]).includes(p))).toEqual([]);
  });

  it('loads exactly the adapters each setting asks for, and none a caller already passed', async () => {
    const { loadOptionalAdapters } = await import('../../src/infrastructure/di/optional-adapters.js');
    const { loadConfig } = await import('../../src/infrastructure/config/load-config.js');
    const stytch = { IDENTITY_PROVIDER: 'stytch', STYTCH_PROJECT_ID: 'project-test-0000', STYTCH_SECRET: 'secret', STYTCH_WEBHOOK_SECRET: 'whsec_c2VjcmV0' };
    const cases: [Record<string, string>, string[]][] = [
      [{}, []],
      [{ STRIPE_SECRET_KEY: 'sk_test_x' }, []], // billing needs both secrets
      [{ STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }, ['stripe']],
      [{ MAIL_TRANSPORT: 'smtp', SMTP_HOST: '127.0.0.1' }, ['smtp']],
      [{ REDIS_URL }, ['redisBus']],
      [{ REDIS_URL, RATE_LIMIT_STORE: 'redis' }, ['redisBus', 'rateLimitStore']],
      [{ REDIS_URL, RATE_LIMIT_STORE: 'redis', RATE_LIMITS_ENABLED: 'false' }, ['redisBus']],
      [{ RATE_LIMIT_STORE: 'postgres' }, ['rateLimitStore']],
      [stytch, ['stytch', 'svix']],
    ];
    for (const [env, expected] of cases) {
      expect(Object.keys(await loadOptionalAdapters(loadConfig(env))).sort(), JSON.stringify(env)).toEqual(expected.sort());
    }
    expect((await loadOptionalAdapters(loadConfig({ REDIS_URL, RATE_LIMIT_STORE: 'redis' }))).rateLimitStore?.name).toBe('createRedisRateLimiter');
    expect((await loadOptionalAdapters(loadConfig({ RATE_LIMIT_STORE: 'postgres' }))).rateLimitStore?.name).toBe('createPostgresRateLimiter');
    // A bus passed in replaces the Redis bus; an adapter passed in is kept, not loaded again.
    const bus = { publish: async () => {}, subscribe: () => () => {} };
    expect(await loadOptionalAdapters(loadConfig({ REDIS_URL }), { bus })).toEqual({});
    const stripe = { StripeBillingGateway: class {} } as never;
    expect((await loadOptionalAdapters(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' }), { stripe })).stripe).toBe(stripe);
  });
});
