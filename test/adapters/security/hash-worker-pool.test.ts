import { randomBytes, scryptSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { HashWorkerPool, type HashPoolOptions, type LoopLoadProbe } from '../../../src/adapters/security/hash-worker-pool.js';
import { OWASP_SCRYPT_PROFILES } from '../../../src/adapters/security/scrypt-params.js';

const tiny = OWASP_SCRYPT_PROFILES.test_only_n10r8p1;
const slower = OWASP_SCRYPT_PROFILES.n13r8p10;
const loopAlways = (utilization: number): LoopLoadProbe => ({ begin: () => () => utilization });

describe('HashWorkerPool', () => {
  const pools: HashWorkerPool[] = [];
  const pool = (options: HashPoolOptions) => {
    const p = new HashWorkerPool(options);
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  const hashes = (p: HashWorkerPool, n: number, params = tiny) =>
    Promise.all(Array.from({ length: n }, (_, i) => p.scrypt(`password ${i}`, Buffer.from(`salt-${i}`), params, 32)));

  it('computes the same bytes as scrypt in this thread', async () => {
    const p = pool({ size: 2, queueMax: 8 });
    const salt = randomBytes(16);
    const out = await p.scrypt('correct horse', salt, tiny, 32);
    expect(out.equals(scryptSync('correct horse', salt, 32, { N: 2 ** tiny.ln, r: tiny.r, p: tiny.p }))).toBe(true);
  });

  it('rests after every hash that ran against a busy event loop, and still finishes every queued hash', async () => {
    const p = pool({ size: 1, queueMax: 32, busyRest: 10, probe: loopAlways(0.95) });
    const started = performance.now();
    const out = await hashes(p, 20);
    const elapsed = performance.now() - started;
    expect(out).toHaveLength(20);
    const stats = p.stats();
    expect(stats).toMatchObject({ hashes: 20, rests: 20, queued: 0 });
    // One thread, so the rests between hashes were waited out (all but the last, which comes after).
    expect(elapsed).toBeGreaterThan((stats.restedMs * 19) / 20 - 25);
  });

  it('never rests when the event loop was not busy, or when resting is off', async () => {
    const calm = pool({ size: 1, queueMax: 32, busyRest: 10, probe: loopAlways(0.5) });
    const off = pool({ size: 1, queueMax: 32, busyRest: 0, probe: loopAlways(1) });
    await Promise.all([hashes(calm, 10), hashes(off, 10)]);
    expect(calm.stats()).toMatchObject({ hashes: 10, rests: 0, restedMs: 0 });
    expect(off.stats()).toMatchObject({ hashes: 10, rests: 0, restedMs: 0 });
  });

  it('caps one rest so sign-ins slow down but never stall', async () => {
    const p = pool({ size: 1, queueMax: 32, busyRest: 1000, maxRestMs: 5, probe: loopAlways(1) });
    await hashes(p, 10);
    const { rests, restedMs } = p.stats();
    expect(rests).toBe(10);
    expect(restedMs).toBe(50);
  });

  it('measures the real event loop: a hash during which the loop was blocked is followed by a rest, an idle one is not', async () => {
    const p = pool({ size: 1, queueMax: 4, busyRest: 1 });
    await p.scrypt('idle loop', Buffer.from('salt'), slower, 32);
    expect(p.stats().rests).toBe(0);
    // A tiny hash finishes long before the loop is free again, so the loop was busy for nearly all of it.
    const pending = p.scrypt('busy loop', Buffer.from('salt'), tiny, 32);
    const until = performance.now() + 300;
    while (performance.now() < until) {
      // The event loop is busy the whole time the worker hashes.
    }
    await pending;
    expect(p.stats().rests).toBe(1);
    expect(p.stats().restedMs).toBeGreaterThanOrEqual(250);
  });

  it('closes while a thread rests: waiting hashes are refused at once and no timer is left behind', async () => {
    const p = pool({ size: 1, queueMax: 4, busyRest: 1000, maxRestMs: 60_000, probe: loopAlways(1) });
    const first = p.scrypt('first', Buffer.from('salt'), tiny, 32);
    const second = p.scrypt('second', Buffer.from('salt'), tiny, 32);
    await first;
    expect(p.stats()).toMatchObject({ rests: 1, queued: 1 });
    const refused = expect(second).rejects.toThrow('hash pool closed');
    const closing = performance.now();
    await p.close();
    await refused;
    expect(performance.now() - closing).toBeLessThan(1_000);
  });
});
