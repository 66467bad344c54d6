import { Counter, Gauge, type Registry } from 'prom-client';
import type { HashPoolStats } from './hash-worker-pool.js';

/**
 * Exposes the password-hash pool on /metrics: hashes done, rests taken because the event loop was
 * busy (ADR 0008) and the time spent resting, and hashes waiting. Read from the pool at scrape time.
 */
export function registerHashPoolMetrics(registry: Registry, stats: () => HashPoolStats): void {
  const counter = (name: string, help: string, read: (s: HashPoolStats) => number) => {
    let reported = 0;
    return new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read(stats());
        if (now > reported) this.inc(now - reported);
        reported = now;
      },
    });
  };
  counter('gatehouse_password_hashes_total', 'Password hashes computed by the hashing threads', (s) => s.hashes);
  counter('gatehouse_password_hash_rests_total', 'Rests a hashing thread took after a hash that ran against a busy event loop', (s) => s.rests);
  counter('gatehouse_password_hash_rest_seconds_total', 'Time hashing threads spent resting to leave the CPU to requests', (s) => s.restedMs / 1000);
  new Gauge({
    name: 'gatehouse_password_hash_queue',
    help: 'Password hashes waiting for a thread',
    registers: [registry],
    collect() {
      this.set(stats().queued);
    },
  });
}
