import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type Stripe from 'stripe';
import { startStripeEmulator } from '../fakes/stripe-emulator.js';
import { freePort, memoryOf, startGatehouse, startProcess, stop } from './processes.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const EVENTS = Number(process.env['BENCH_BILLING_EVENTS'] ?? 300);
const DUPLICATES = Math.min(100, EVENTS);
const IN_FLIGHT = 8;
const SECRET_KEY = 'sk_test_bench';
const WEBHOOK_SECRET = 'whsec_bench';
const PLANS = ['starter', 'professional', 'enterprise'] as const;
/** How long one event may take to answer `active` before it counts as an error. */
const ACTIVE_TIMEOUT_MS = 30_000;

interface Row {
  name: string;
  perSecond: number;
  latencies: number[];
  errors: number;
}

/** Runs `work` over `items` with at most `limit` in flight; resolves when all are done. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const percentile = (values: number[], q: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const fmt = (n: number, digits = 0) => (Number.isNaN(n) ? '–' : n.toFixed(digits)).padStart(10);

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * Organizations owned by these Stripe customers, counted in the database after the server stopped
 * (PGlite is single-process: the data directory can be opened only once the server let go of it).
 */
async function countOrganizations(db: { url: string } | { dataDir: string }, customerIds: string[]): Promise<{ orgs: number; distinct: number }> {
  const sql = 'select count(*)::int as orgs, count(distinct stripe_customer_id)::int as "distinct" from organizations where stripe_customer_id = any($1::text[])';
  if ('url' in db) {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<{ orgs: number; distinct: number }>(sql, [customerIds])).rows[0]!;
    } finally {
      await client.end();
    }
  }
  const lite = await PGlite.create({ dataDir: db.dataDir });
  try {
    return (await lite.query<{ orgs: number; distinct: number }>(sql, [customerIds])).rows[0]!;
  } finally {
    await lite.close();
  }
}

/**
 * The billing benchmark: N distinct `checkout.session.completed` deliveries (each a new customer,
 * email and session, made by the Stripe emulator from checkouts Gatehouse itself started), signed
 * like Stripe signs them, posted to the compiled server with 8 in flight. Per event: the time from
 * sending the webhook until `GET /api/v1/billing/status` answers `active`. Then 100 redeliveries,
 * which must all be no-ops, and a count of the organizations in the database.
 */
export async function main(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
  const dataDir = databaseUrl ? null : mkdtempSync(join(tmpdir(), 'gatehouse-billing-bench-'));
  const port = await freePort();
  const g = `http://127.0.0.1:${port}`;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  // The server calls the emulator only to create the checkout sessions (setup, not measured);
  // verifying and applying a webhook needs no call to Stripe.
  const stripe = await startStripeEmulator();
  let server: Awaited<ReturnType<typeof startProcess>> | null = null;
  try {
    server = await startGatehouse(ROOT, {
      PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:3000',
      // Throughput, not abuse protection: N anonymous checkouts from one IP would hit `checkout_ip`.
      RATE_LIMITS_ENABLED: 'false',
      STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir! }),
    }, `${g}/ready`);

    // Setup: N checkouts through Gatehouse (so sessions carry exactly the metadata it writes), then
    // the emulator "pays" each one and builds the event Stripe would send.
    const run = Date.now().toString(36);
    const events: Array<{ sessionId: string; event: Stripe.Event }> = [];
    await pool(Array.from({ length: EVENTS }, (_, i) => i), IN_FLIGHT, async (i) => {
      const res = await fetch(`${g}/api/v1/billing/checkout`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-client': 'api' },
        body: JSON.stringify({ planId: PLANS[i % PLANS.length], email: `owner-${run}-${i}@bench.example`, organizationName: `Bench HOA ${run} ${i}` }),
      });
      const body = await json(res);
      const sessionId = /cs_test_\w+/.exec(String(body['url']))?.[0];
      if (!res.ok || !sessionId) throw new Error(`checkout ${i} failed: ${res.status} ${JSON.stringify(body)}`);
      events.push({ sessionId, event: stripe.complete(sessionId) });
    });

    const deliver = async (event: Stripe.Event) => {
      // Signed just before sending, as Stripe does per attempt (the signature carries a timestamp).
      const signed = stripe.signedDelivery(event, WEBHOOK_SECRET);
      const t = performance.now();
      const res = await fetch(`${g}/api/v1/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': signed.signature, 'content-type': 'application/json' }, body: signed.body });
      return { t, status: res.status, outcome: (await json(res))['outcome'] };
    };
    const statusOf = async (sessionId: string) => String((await json(await fetch(`${g}/api/v1/billing/status?session_id=${sessionId}`)))['status']);

    const latencies: number[] = [];
    let errors = 0;
    let firstPoll = 0;
    const started = performance.now();
    await pool(events, IN_FLIGHT, async ({ sessionId, event }) => {
      const sent = await deliver(event);
      if (sent.status !== 200 || sent.outcome !== 'applied') {
        errors++;
        return;
      }
      for (let poll = 0; ; poll++) {
        if ((await statusOf(sessionId)) === 'active') {
          latencies.push(performance.now() - sent.t);
          if (poll === 0) firstPoll++;
          return;
        }
        if (performance.now() - sent.t > ACTIVE_TIMEOUT_MS) {
          errors++;
          return;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    const wall = (performance.now() - started) / 1000;
    const provisioned: Row = { name: 'checkout.session.completed → active', perSecond: EVENTS / wall, latencies, errors };

    const dupLatencies: number[] = [];
    let dupErrors = 0;
    const dupStarted = performance.now();
    await pool(events.slice(0, DUPLICATES), IN_FLIGHT, async ({ event }) => {
      const sent = await deliver(event);
      if (sent.status === 200 && sent.outcome === 'duplicate') dupLatencies.push(performance.now() - sent.t);
      else dupErrors++;
    });
    const duplicates: Row = { name: `redelivery of ${DUPLICATES} (all duplicate)`, perSecond: DUPLICATES / ((performance.now() - dupStarted) / 1000), latencies: dupLatencies, errors: dupErrors };

    let stillActive = 0;
    for (const { sessionId } of events) if ((await statusOf(sessionId)) === 'active') stillActive++;
    const memory = memoryOf(server.pid!);
    await stop(server);
    server = null;
    const customerIds = [...stripe.customers.keys()];
    const counted = await countOrganizations(databaseUrl ? { url: databaseUrl } : { dataDir: dataDir! }, customerIds);

    console.log(`\nBilling webhooks (${EVENTS} distinct events, ${IN_FLIGHT} in flight, 127.0.0.1, ${databaseUrl ? 'PostgreSQL (BENCH_DATABASE_URL/TEST_DATABASE_URL)' : 'embedded PGlite in a temp dir'}, compiled server)`);
    console.log(`${'scenario'.padEnd(42)}${'events/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p95 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'errors'.padStart(10)}`);
    for (const row of [provisioned, duplicates]) {
      console.log(`${row.name.padEnd(42)}${fmt(row.perSecond, 1)}${fmt(percentile(row.latencies, 0.5), 1)}${fmt(percentile(row.latencies, 0.95), 1)}${fmt(percentile(row.latencies, 0.99), 1)}${fmt(row.errors)}`);
    }
    console.log(`\nfirst row: webhook sent → status active (${firstPoll}/${latencies.length} active on the first poll after the 200); second: webhook sent → 200 duplicate`);
    console.log(`wall time ${wall.toFixed(2)} s for ${EVENTS} events; server RSS after the run ${memory.rssMiB.toFixed(0)} MiB, peak ${memory.peakMiB.toFixed(0)} MiB`);
    const ok = counted.orgs === EVENTS && counted.distinct === EVENTS && stillActive === EVENTS;
    console.log(`verify: ${counted.orgs} organizations for the run's ${customerIds.length} Stripe customers (${counted.distinct} distinct), ${stillActive}/${EVENTS} sessions active → ${ok ? 'OK, exactly N provisioned' : 'MISMATCH'}`);
    if (!ok || provisioned.errors > 0 || duplicates.errors > 0) process.exitCode = 1;
  } finally {
    if (server) await stop(server);
    await stripe.close();
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}.lock`, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
