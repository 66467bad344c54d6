import { describe, expect, it } from 'vitest';
import { CachedSessionStatus } from '../../../src/adapters/cache/cached-session-status.js';
import { InProcessInvalidationBus } from '../../../src/adapters/cache/in-process-invalidation-bus.js';
import type { SessionRepository } from '../../../src/application/ports/session-repository.port.js';
import type { Session } from '../../../src/domain/credentials/session.js';
import { at, newSession, newUser } from '../../contracts/fixtures.js';

/** A session store whose reads the test answers one by one, to order them against invalidations. */
function scriptedStore() {
  const pending: { id: string; answer(session: Session | null): void }[] = [];
  const store = {
    findById: (id: string) => new Promise<Session | null>((resolve) => pending.push({ id, answer: resolve })),
  } as unknown as SessionRepository;
  return { store, pending };
}

const live = () => newSession(newUser(), { now: at(0) });
const revoked = (session: Session) => Object.assign(Object.create(Object.getPrototypeOf(session) as object) as Session, session, { revokedAt: at(5) });

/** A cache over a scripted store and an in-process bus, and a live session to ask about. */
function cachedOverScriptedStore() {
  const { store, pending } = scriptedStore();
  const bus = new InProcessInvalidationBus();
  return { pending, bus, cache: new CachedSessionStatus(store, bus), session: live() };
}

describe('CachedSessionStatus', () => {
  it('answers from the cache until an invalidation of that session', async () => {
    const { pending, bus, cache, session } = cachedOverScriptedStore();
    const first = cache.isLive(session.id, at(10));
    pending.shift()!.answer(session);
    expect(await first).toBe(true);
    expect(await cache.isLive(session.id, at(11))).toBe(true);
    expect(pending).toHaveLength(0);
    await bus.publish({ topic: 'session', id: session.id });
    const after = cache.isLive(session.id, at(12));
    pending.shift()!.answer(revoked(session));
    expect(await after).toBe(false);
  });

  it('does not store a read that began before the session was invalidated', async () => {
    const { pending, bus, cache, session } = cachedOverScriptedStore();
    // The read starts, the session is revoked and the revocation published, then the old answer arrives.
    const racing = cache.isLive(session.id, at(10));
    await bus.publish({ topic: 'session', id: session.id });
    pending.shift()!.answer(session);
    expect(await racing).toBe(true);
    const next = cache.isLive(session.id, at(11));
    expect(pending).toHaveLength(1);
    pending.shift()!.answer(revoked(session));
    expect(await next).toBe(false);
  });

  it('stores nothing while the bus does not deliver other nodes\' invalidations', async () => {
    const { store, pending } = scriptedStore();
    const inner = new InProcessInvalidationBus();
    let connected = false;
    const cache = new CachedSessionStatus(store, { publish: (m) => inner.publish(m), subscribe: (l) => inner.subscribe(l), connected: () => connected });
    const session = live();
    for (const t of [10, 11]) {
      const read = cache.isLive(session.id, at(t));
      expect(pending).toHaveLength(1);
      pending.shift()!.answer(session);
      expect(await read).toBe(true);
    }
    connected = true;
    const read = cache.isLive(session.id, at(12));
    pending.shift()!.answer(session);
    await read;
    expect(await cache.isLive(session.id, at(13))).toBe(true);
    expect(pending).toHaveLength(0);
  });
});
