import { randomBytes } from 'node:crypto';
import { InProcessInvalidationBus } from '../../src/adapters/cache/in-process-invalidation-bus.js';
import { RedisInvalidationBus } from '../../src/adapters/cache/redis-invalidation-bus.js';
import { redisAnswers as probeRedis } from '../support/redis.js';
import { invalidationBusContract } from './invalidation-bus.contract.js';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redisAnswers = await probeRedis(REDIS_URL);
if (!redisAnswers && process.env['CI']) throw new Error(`CI needs Redis for the invalidation bus contract at ${REDIS_URL} (set TEST_REDIS_URL)`);

invalidationBusContract('in-process', async () => {
  const errors: unknown[] = [];
  return { bus: new InProcessInvalidationBus((e) => errors.push(e)), errors, peer: () => null, close: async () => {} };
});

if (redisAnswers) {
  invalidationBusContract(`Redis pub/sub (${REDIS_URL})`, async () => {
    // A channel of its own, so parallel runs sharing one Redis never meet.
    const channel = `gatehouse-test:${randomBytes(4).toString('hex')}`;
    const errors: unknown[] = [];
    const open: RedisInvalidationBus[] = [];
    const node = async () => {
      const bus = new RedisInvalidationBus({ url: REDIS_URL, channel, connectionName: `gatehouse-test-${randomBytes(4).toString('hex')}`, onError: (e) => errors.push(e) });
      open.push(bus);
      await bus.whenReady();
      return bus;
    };
    const bus = await node();
    return { bus, errors, peer: node, close: async () => void (await Promise.all(open.map((b) => b.close()))) };
  });
}
