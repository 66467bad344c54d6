// Access-decision benchmark: Gatehouse `decide` against node-casbin on the same organizations,
// roles, grants and request tuples. Run: `npx tsx test/bench/access-bench.ts [--orgs=1000]`.
// Memory figures need a GC handle: `--expose-gc` is used if given, otherwise enabled at runtime.
// `--with-shared-enforcer` also measures one casbin enforcer holding every organization (all
// domains); casbin scans policies linearly and loads them in quadratic time, so that adds minutes.
import { hrtime, memoryUsage } from 'node:process';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { newEnforcer, newModelFromString } from 'casbin';
import type { Enforcer } from 'casbin';
import {
  buildOrganizationAccessView,
  decide,
  ENTITY_LEVEL_PERMISSIONS,
  ENTITY_LEVELS,
  PERMISSIONS,
  SYSTEM_ROLE_PERMISSIONS,
} from '../../src/domain/access/index.js';
import type {
  EntityGrant,
  EntityLevel,
  MemberAccess,
  OrganizationAccessData,
  OrganizationAccessView,
  SystemRole,
} from '../../src/domain/access/index.js';

interface BenchConfig { orgs: number; members: number; entities: number; tuples: number; seed: number; shared: boolean }
interface Org { data: OrganizationAccessData; entityIds: string[] }
interface Tuples { org: string[]; member: string[]; entity: string[]; action: string[] }
interface Latency { p50: number; p99: number; p999: number; max: number }
/** Numbers printed by {@link main}, also returned for programmatic use. */
export interface BenchReport {
  gatehouse: { perSecond: number; latencyNs: Latency; heapBytes: number };
  casbinPerOrg: { perSecond: number; latencyNs: Latency; heapBytes: number };
  casbinShared: { perSecond: number; heapBytes: number } | null;
  timerOverheadNs: Latency;
  mismatches: number;
  checked: number;
}

// Casbin RBAC with domains. System and custom roles are `g` links inside the organization's
// domain; an entity grant is a `g2` link from the member to a level role in the entity's domain,
// and each level role holds its permissions as `p` rules on the pseudo-object `@grant`.
const CASBIN_MODEL = `
[request_definition]
r = sub, dom, obj, act
[policy_definition]
p = sub, dom, obj, act
[role_definition]
g = _, _, _
g2 = _, _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = r.dom == p.dom && r.act == p.act && ((p.obj == "*" && g(r.sub, p.sub, r.dom)) || (p.obj == "@grant" && g2(r.sub, p.sub, r.obj)))
`;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(config: BenchConfig): Org[] {
  const rand = mulberry32(config.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const orgs: Org[] = [];
  for (let o = 0; o < config.orgs; o++) {
    const entityIds = Array.from({ length: config.entities }, uuid);
    const customRoles = ['dispatcher', 'bookkeeper', 'surveyor'].map((key) => ({
      key,
      name: key,
      permissions: PERMISSIONS.filter(() => rand() < 0.15),
    }));
    const members: MemberAccess[] = [];
    const grants: EntityGrant[] = [];
    for (let i = 0; i < config.members; i++) {
      const r = rand();
      const systemRole: SystemRole = i === 0 ? 'admin' : r < 0.05 ? 'admin' : r < 0.2 ? 'manager' : r < 0.75 ? 'member' : 'viewer';
      const c = rand();
      const customRoleKeys = c < 0.7 ? [] : c < 0.95 ? [pick(customRoles).key] : ['dispatcher', 'surveyor'];
      const memberId = uuid();
      members.push({ memberId, systemRole, customRoleKeys });
      // Grants only reach members and viewers: admins and managers already hold a higher level.
      if (systemRole !== 'member' && systemRole !== 'viewer') continue;
      const granted = new Set<string>();
      const count = Math.floor(rand() * 9);
      while (granted.size < count) granted.add(pick(entityIds));
      for (const entityId of granted) {
        const level: EntityLevel = pick(['viewer', 'viewer', 'editor', 'editor', 'manager', 'admin'] as const);
        grants.push({ memberId, entityId, level });
      }
    }
    orgs.push({ data: { organizationId: uuid(), members, customRoles, grants }, entityIds });
  }
  return orgs;
}

function makeTuples(orgs: Org[], count: number, seed: number): Tuples {
  const rand = mulberry32(seed);
  const entityActions = PERMISSIONS.filter((p) => p.startsWith('entity:'));
  const tuples: Tuples = { org: [], member: [], entity: [], action: [] };
  for (let i = 0; i < count; i++) {
    const org = orgs[Math.floor(rand() * orgs.length)] as Org;
    const member = org.data.members[Math.floor(rand() * org.data.members.length)] as MemberAccess;
    tuples.org.push(org.data.organizationId);
    tuples.member.push(member.memberId);
    tuples.entity.push(org.entityIds[Math.floor(rand() * org.entityIds.length)] as string);
    // Three decisions in four are entity decisions, as in a document-heavy API.
    const actions = rand() < 0.75 ? entityActions : PERMISSIONS;
    tuples.action.push(actions[Math.floor(rand() * actions.length)] as string);
  }
  return tuples;
}

function casbinRules(org: OrganizationAccessData): { p: string[][]; g: string[][]; g2: string[][] } {
  const dom = org.organizationId;
  const p: string[][] = [];
  for (const role of ['admin', 'manager', 'member', 'viewer'] as const) {
    for (const perm of SYSTEM_ROLE_PERMISSIONS[role]) p.push([role, dom, '*', perm]);
  }
  for (const role of org.customRoles) for (const perm of role.permissions) p.push([`custom:${role.key}`, dom, '*', perm]);
  for (const level of ENTITY_LEVELS) for (const perm of ENTITY_LEVEL_PERMISSIONS[level]) p.push([`level:${level}`, dom, '@grant', perm]);
  const g: string[][] = [];
  for (const m of org.members) {
    g.push([m.memberId, m.systemRole, dom]);
    for (const key of m.customRoleKeys) g.push([m.memberId, `custom:${key}`, dom]);
  }
  const g2 = org.grants.map((grant) => [grant.memberId, `level:${grant.level}`, grant.entityId]);
  return { p, g, g2 };
}

async function loadEnforcer(orgs: readonly OrganizationAccessData[]): Promise<Enforcer> {
  const enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL));
  for (const org of orgs) {
    const { p, g, g2 } = casbinRules(org);
    await enforcer.addPolicies(p);
    await enforcer.addNamedGroupingPolicies('g', g);
    if (g2.length > 0) await enforcer.addNamedGroupingPolicies('g2', g2);
  }
  return enforcer;
}

function gcHandle(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Retained bytes of what `build` returns: V8 heap plus typed-array backing stores, which live off-heap. */
async function heapDelta<T>(gc: () => void, build: () => Promise<T>): Promise<{ value: T; bytes: number }> {
  const retained = (): number => {
    gc();
    gc();
    const usage = memoryUsage();
    return usage.heapUsed + usage.arrayBuffers;
  };
  const before = retained();
  const value = await build();
  return { value, bytes: retained() - before };
}

function percentiles(samples: Float64Array): Latency {
  const sorted = samples.slice().sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1] ?? 0 };
}

/** Times each call individually; includes one `hrtime.bigint()` pair of overhead per sample. */
function sampleLatency(count: number, tuples: Tuples, run: (i: number) => boolean): Float64Array {
  const samples = new Float64Array(count);
  const n = tuples.org.length;
  for (let i = 0; i < count; i++) {
    const start = hrtime.bigint();
    run(i % n);
    samples[i] = Number(hrtime.bigint() - start);
  }
  return samples;
}

/** Decisions per second, reading the clock every `chunk` decisions until `minMs` has elapsed. */
function throughput(tuples: Tuples, minMs: number, chunk: number, run: (i: number) => boolean): number {
  const n = tuples.org.length;
  let done = 0;
  let sink = 0;
  const start = hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1_000_000n) {
    const offset = done % n;
    for (let i = 0; i < chunk; i++) if (run((offset + i) % n)) sink++;
    done += chunk;
    elapsed = hrtime.bigint() - start;
  }
  if (sink < 0) console.log(sink);
  return done / (Number(elapsed) / 1e9);
}

function parseConfig(argv: readonly string[]): BenchConfig {
  const config: BenchConfig = { orgs: 1_000, members: 20, entities: 50, tuples: 1_000_000, seed: 20251021, shared: false };
  for (const arg of argv) {
    if (arg === '--with-shared-enforcer') config.shared = true;
    const match = /^--(orgs|members|entities|tuples|seed)=(\d+)$/.exec(arg);
    if (match?.[1] !== undefined && match[2] !== undefined) config[match[1] as 'orgs'] = Number(match[2]);
  }
  return config;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
const us = (ns: number): string => `${(ns / 1000).toFixed(2)} µs`;

/** Runs the benchmark, prints a table and returns the numbers. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<BenchReport> {
  const config = parseConfig(argv);
  const gc = gcHandle();
  console.log(`access bench: ${fmt(config.orgs)} orgs × ${config.members} members × ${config.entities} entities, ${fmt(config.tuples)} tuples, node ${process.version}`);
  const orgs = generate(config);
  const tuples = makeTuples(orgs, config.tuples, config.seed + 1);
  const grantCount = orgs.reduce((sum, org) => sum + org.data.grants.length, 0);
  console.log(`data: ${fmt(grantCount)} grants, ${fmt(orgs.length * 3)} custom roles`);

  const gatehouse = await heapDelta(gc, async () => {
    const views = new Map<string, OrganizationAccessView>();
    for (const org of orgs) {
      const built = buildOrganizationAccessView(org.data);
      if (!built.ok) throw new Error(`bench data rejected: ${built.error.code} ${built.error.subject}`);
      views.set(org.data.organizationId, built.view);
    }
    return views;
  });
  const views = gatehouse.value;
  const viewOf = (org: string): OrganizationAccessView => views.get(org) as OrganizationAccessView;
  const runGatehouse = (i: number): boolean =>
    decide(viewOf(tuples.org[i] as string), tuples.member[i] as string, tuples.action[i] as string, tuples.entity[i]).allowed;

  const perOrg = await heapDelta(gc, async () => {
    const enforcers = new Map<string, Enforcer>();
    for (const org of orgs) enforcers.set(org.data.organizationId, await loadEnforcer([org.data]));
    return enforcers;
  });
  const enforcers = perOrg.value;
  const runCasbinPerOrg = (i: number): boolean =>
    (enforcers.get(tuples.org[i] as string) as Enforcer).enforceSync(tuples.member[i], tuples.org[i], tuples.entity[i], tuples.action[i]);
  const shared = config.shared ? await heapDelta(gc, () => loadEnforcer(orgs.map((org) => org.data))) : null;
  const sharedEnforcer = shared?.value;
  const runCasbinShared = (i: number): boolean =>
    sharedEnforcer?.enforceSync(tuples.member[i], tuples.org[i], tuples.entity[i], tuples.action[i]) ?? false;

  // Same answers on a sample before any timing: a fast wrong answer is worth nothing.
  let mismatches = 0;
  const checked = Math.min(config.tuples, 20_000);
  for (let i = 0; i < checked; i++) {
    const expected = runGatehouse(i);
    if (runCasbinPerOrg(i) !== expected || (shared !== null && i < 200 && runCasbinShared(i) !== expected)) mismatches++;
  }
  console.log(`agreement: ${mismatches} mismatches in ${fmt(checked)} tuples${shared === null ? '' : ' (first 200 also against the shared enforcer)'}`);

  throughput(tuples, 1_000, 10_000, runGatehouse); // warm-up
  const gatehouseRates = [0, 1, 2, 3, 4].map(() => throughput(tuples, 1_000, 10_000, runGatehouse)).sort((a, b) => a - b);
  const timerOverheadNs = percentiles(sampleLatency(200_000, tuples, () => true));
  const gatehouseLatency = percentiles(sampleLatency(1_000_000, tuples, runGatehouse));
  throughput(tuples, 500, 100, runCasbinPerOrg); // warm-up
  const casbinRate = throughput(tuples, 3_000, 100, runCasbinPerOrg);
  const casbinLatency = percentiles(sampleLatency(20_000, tuples, runCasbinPerOrg));
  const sharedRate = shared === null ? null : throughput(tuples, 3_000, 1, runCasbinShared);

  const report: BenchReport = {
    gatehouse: { perSecond: gatehouseRates[2] ?? 0, latencyNs: gatehouseLatency, heapBytes: gatehouse.bytes },
    casbinPerOrg: { perSecond: casbinRate, latencyNs: casbinLatency, heapBytes: perOrg.bytes },
    casbinShared: shared === null || sharedRate === null ? null : { perSecond: sharedRate, heapBytes: shared.bytes },
    timerOverheadNs,
    mismatches,
    checked,
  };
  const rows: [string, string, string, string, string][] = [
    ['engine', 'decisions/s', 'p50', 'p99', 'heap + buffers'],
    ['gatehouse decide (view per org)', fmt(report.gatehouse.perSecond), us(gatehouseLatency.p50), us(gatehouseLatency.p99), mib(gatehouse.bytes)],
    ['casbin enforceSync (enforcer per org)', fmt(casbinRate), us(casbinLatency.p50), us(casbinLatency.p99), mib(perOrg.bytes)],
  ];
  if (shared !== null && sharedRate !== null) {
    rows.push(['casbin enforceSync (one enforcer, all domains)', fmt(sharedRate, 1), '-', '-', mib(shared.bytes)]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0))) ?? [];
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '));
  console.log(`gatehouse rate over 5 passes: min ${fmt(gatehouseRates[0] ?? 0)}, median ${fmt(gatehouseRates[2] ?? 0)}, max ${fmt(gatehouseRates[4] ?? 0)} /s`);
  console.log(`gatehouse latency p99.9 ${us(gatehouseLatency.p999)}, max ${us(gatehouseLatency.max)}; each sample includes timer overhead (p50 ${fmt(timerOverheadNs.p50)} ns, p99 ${fmt(timerOverheadNs.p99)} ns)`);
  const ratio = report.gatehouse.perSecond / casbinRate;
  const sharedRatio = sharedRate === null ? '' : `, ${fmt(report.gatehouse.perSecond / sharedRate)}× vs one shared casbin enforcer`;
  console.log(`speed-up: ${fmt(ratio, 1)}× vs casbin per org${sharedRatio}`);
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  console.log(`targets: ≥ 50× casbin ${verdict(ratio >= 50)}; p99 < 10 µs ${verdict(gatehouseLatency.p99 < 10_000)}; heap ≤ casbin ${verdict(gatehouse.bytes <= perOrg.bytes)}; answers agree ${verdict(mismatches === 0)}`);
  return report;
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(resolve(invokedPath)).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
