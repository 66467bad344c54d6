import { describe, expect, it } from 'vitest';
import type { Invalidation, InvalidationBus } from '../../src/application/ports/invalidation-bus.port.js';

/** What the contract needs from each bus's test setup. */
export interface BusHarness {
  bus: InvalidationBus;
  /** What the bus reported (a listener that threw, a failure elsewhere). */
  errors: unknown[];
  /**
   * Another node on the same bus, for a bus that spans processes; null for a bus of one process,
   * which has no other node to reach.
   */
  peer(): Promise<InvalidationBus> | null;
  close(): Promise<void>;
}

/** Resolves with the first message `bus` delivers that matches; register it before causing the message. */
export function nextMessage(bus: InvalidationBus, match: (m: Invalidation) => boolean, timeoutMs = 10_000): Promise<Invalidation> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no matching invalidation arrived'));
    }, timeoutMs);
    const off = bus.subscribe((m) => {
      if (!match(m)) return;
      clearTimeout(timer);
      off();
      resolve(m);
    });
  });
}

/**
 * The InvalidationBus contract: what every cache relies on, whichever bus the configuration chose.
 * Run against the in-process bus and the Redis bus.
 */
export function invalidationBusContract(name: string, make: () => Promise<BusHarness>): void {
  describe(`InvalidationBus contract [${name}]`, () => {
    const use = async (fn: (h: BusHarness) => Promise<void>) => {
      const h = await make();
      try {
        await fn(h);
      } finally {
        await h.close();
      }
    };

    it("delivers a publish to each of this process's listeners once, before publish resolves, in the order published", () =>
      use(async ({ bus, errors }) => {
        const first: Invalidation[] = [];
        const second: Invalidation[] = [];
        bus.subscribe((m) => first.push(m));
        bus.subscribe((m) => second.push(m));
        const publishing = bus.publish({ topic: 'session', id: 's-1' });
        // At once: a node sees its own change before anything reaches another process.
        expect(first).toEqual([{ topic: 'session', id: 's-1' }]);
        await publishing;
        await bus.publish({ topic: 'access', id: 'org-1' });
        expect(first).toEqual([{ topic: 'session', id: 's-1' }, { topic: 'access', id: 'org-1' }]);
        expect(second).toEqual(first);
        expect(errors).toEqual([]);
      }));

    it('stops delivering to a listener that unsubscribed; the others still hear', () =>
      use(async ({ bus }) => {
        const gone: Invalidation[] = [];
        const stays: Invalidation[] = [];
        const off = bus.subscribe((m) => gone.push(m));
        bus.subscribe((m) => stays.push(m));
        await bus.publish({ topic: 'user', id: 'u-1' });
        off();
        await bus.publish({ topic: 'user', id: 'u-2' });
        expect(gone.map((m) => m.id)).toEqual(['u-1']);
        expect(stays.map((m) => m.id)).toEqual(['u-1', 'u-2']);
      }));

    it('tells every other listener when one throws, resolves the publish (its change has committed) and reports the failure', () =>
      use(async ({ bus, errors }) => {
        const before: string[] = [];
        const after: string[] = [];
        bus.subscribe((m) => before.push(m.id));
        bus.subscribe(() => {
          throw new Error('a broken cache');
        });
        bus.subscribe((m) => after.push(m.id));
        await expect(bus.publish({ topic: 'session', id: 'revoked' })).resolves.toBeUndefined();
        expect([before, after]).toEqual([['revoked'], ['revoked']]);
        expect(errors).toEqual([expect.objectContaining({ message: 'a broken cache' })]);
      }));

    it('answers connected while it delivers', () =>
      use(async ({ bus }) => {
        expect(bus.connected?.() ?? true).toBe(true);
      }));

    it('reaches the listeners of every other node once, and not its own twice (a bus of one process has no other node)', () =>
      use(async ({ bus, peer }) => {
        const opening = peer();
        if (!opening) {
          expect(name).toMatch(/in-process/);
          return;
        }
        const other = await opening;
        const mine: string[] = [];
        const theirs: string[] = [];
        bus.subscribe((m) => mine.push(m.id));
        other.subscribe((m) => theirs.push(m.id));
        const arrived = nextMessage(other, (m) => m.id === 'org-7');
        await bus.publish({ topic: 'access', id: 'org-7' });
        await arrived;
        // A marker sent back last: once it is here, an echo of org-7 would be here too.
        const marker = nextMessage(bus, (m) => m.id === 'marker');
        await other.publish({ topic: 'tenant', id: 'marker' });
        await marker;
        expect(mine).toEqual(['org-7', 'marker']);
        expect(theirs).toEqual(['org-7', 'marker']);
      }));
  });
}
