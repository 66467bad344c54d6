import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { Invalidation } from '../../../src/application/ports/invalidation-bus.port.js';
import { RedisInvalidationBus } from '../../../src/adapters/cache/redis-invalidation-bus.js';
import { redisAnswers as probeRedis } from '../../support/redis.js';
import { nextMessage } from '../../contracts/invalidation-bus.contract.js';

/** Redis for these tests: TEST_REDIS_URL, else the local server; CI must have one, elsewhere it may be absent. */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redisAnswers = await probeRedis(REDIS_URL);
if (!redisAnswers && process.env['CI']) throw new Error(`CI needs Redis for the invalidation bus tests at ${REDIS_URL} (set TEST_REDIS_URL)`);

const open: RedisInvalidationBus[] = [];
afterEach(async () => {
  for (const bus of open.splice(0)) await bus.close();
});

/** A bus on a channel (and connection name) of its own, so parallel runs sharing one Redis never meet. */
async function bus(channel: string, connectionName = `gatehouse-test-${randomBytes(4).toString('hex')}`): Promise<{ bus: RedisInvalidationBus; heard: Invalidation[]; errors: unknown[] }> {
  const errors: unknown[] = [];
  const b = new RedisInvalidationBus({ url: REDIS_URL, channel, connectionName, onError: (e) => errors.push(e) });
  open.push(b);
  const heard: Invalidation[] = [];
  b.subscribe((m) => heard.push(m));
  await b.whenReady();
  return { bus: b, heard, errors };
}

// What every bus promises is in test/contracts/invalidation-bus.contract.ts; here, what only a networked bus does.
describe.skipIf(!redisAnswers)('RedisInvalidationBus', () => {
  it('ignores malformed messages and other channels', async () => {
    const channel = `gatehouse-test:${randomBytes(4).toString('hex')}`;
    const a = await bus(channel);
    a.heard.length = 0;
    const last = nextMessage(a.bus, (m) => m.id === 'org-3');
    const raw = new Redis(REDIS_URL);
    try {
      await raw.publish(channel, 'not json');
      await raw.publish(channel, JSON.stringify({ o: 'x', t: 'everything', i: 'org-1' }));
      await raw.publish(channel, JSON.stringify({ o: 'x', t: 'access', i: 42 }));
      await raw.publish(`${channel}:other`, JSON.stringify({ o: 'x', t: 'access', i: 'org-2' }));
      await raw.publish(channel, JSON.stringify({ o: 'x', t: 'tenant', i: 'org-3' }));
    } finally {
      raw.disconnect();
    }
    await last;
    expect(a.heard).toEqual([{ topic: 'tenant', id: 'org-3' }]);
  });

  it('reports connected only while subscribed, and after a lost connection resubscribes and invalidates everything it may have missed', async () => {
    const channel = `gatehouse-test:${randomBytes(4).toString('hex')}`;
    const name = `gatehouse-test-kill-${randomBytes(4).toString('hex')}`;
    const a = await bus(channel, name);
    expect(a.bus.connected()).toBe(true);
    a.heard.length = 0;
    const reset = nextMessage(a.bus, (m) => m.topic === 'access' && m.id === '*');
    const admin = new Redis(REDIS_URL);
    try {
      // Drop this bus's connections (and only them), as a Redis restart or a network cut would.
      const clients = (await admin.client('LIST')) as string;
      const ids = clients.split('\n').filter((line) => line.includes(` name=${name} `)).map((line) => /id=(\d+)/.exec(line)?.[1]);
      expect(ids.length).toBe(2);
      for (const id of ids) await admin.client('KILL', 'ID', id!);
    } finally {
      admin.disconnect();
    }
    await reset;
    expect(a.heard.map((m) => `${m.topic}:${m.id}`).sort()).toEqual(['access:*', 'session:*', 'tenant:*', 'user:*']);
    expect(a.bus.connected()).toBe(true);
    await a.bus.close();
    expect(a.bus.connected()).toBe(false);
  });
});

