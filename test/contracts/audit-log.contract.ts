import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../src/application/ports/audit-log.port.js';
import type { AuditEvent } from '../../src/domain/audit/audit-event.js';
import { type ContractSuite, at, expectCode, newAuditEvent, useStore } from './fixtures.js';

export const auditLogContract: ContractSuite = (name, makePersistence) => {
  describe(`AuditLog contract [${name}]`, () => {
    const store = useStore(makePersistence);

    async function recordAll(events: AuditEvent[]): Promise<void> {
      for (const e of events) await store().audit.record(e);
    }

    it('records events and lists one tenant’s newest first', async () => {
      const tenant = randomUUID();
      const events = [0, 30, 10, 20].map((s) => newAuditEvent(tenant, { occurredAt: at(s), metadata: { second: s, ok: true, none: null } }));
      await recordAll([...events, newAuditEvent(randomUUID()), newAuditEvent(null)]);
      const page = await store().audit.list(tenant, { limit: 10 });
      expect(page.events.map((e) => e.occurredAt)).toEqual([at(30), at(20), at(10), at(0)]);
      expect(page.events[0]).toEqual(events[1]);
      expect(page.nextCursor).toBeNull();
      const tiny = await store().audit.list(tenant, { limit: 0 });
      expect(tiny.events).toHaveLength(1);
      expect(tiny.nextCursor).not.toBeNull();
    });

    it('filters by actor, action and time window (from inclusive, to exclusive)', async () => {
      const tenant = randomUUID();
      const [ada, bob] = [randomUUID(), randomUUID()];
      const events = [
        newAuditEvent(tenant, { actorUserId: ada, action: 'auth.login.succeeded', occurredAt: at(10) }),
        newAuditEvent(tenant, { actorUserId: ada, action: 'auth.logout', occurredAt: at(20) }),
        newAuditEvent(tenant, { actorUserId: bob, action: 'auth.login.succeeded', occurredAt: at(30) }),
        newAuditEvent(tenant, { actorUserId: bob, action: 'member.added', occurredAt: at(40), outcome: 'failure' }),
      ];
      await recordAll(events);
      const ids = async (query: Omit<AuditQuery, 'limit'>) => (await store().audit.list(tenant, { limit: 50, ...query })).events.map((e) => e.id);
      expect(await ids({ actorUserId: ada })).toEqual([events[1]!.id, events[0]!.id]);
      expect(await ids({ action: 'auth.login.succeeded' })).toEqual([events[2]!.id, events[0]!.id]);
      expect(await ids({ from: at(20), to: at(40) })).toEqual([events[2]!.id, events[1]!.id]);
      expect(await ids({ actorUserId: bob, action: 'auth.login.succeeded', from: at(30) })).toEqual([events[2]!.id]);
    });

    it('pages with an opaque cursor through every event once, ties on time included', async () => {
      const tenant = randomUUID();
      const events = Array.from({ length: 7 }, (_, i) => newAuditEvent(tenant, { occurredAt: at(Math.floor(i / 3)) }));
      await recordAll(events);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store().audit.list(tenant, { limit: 3, ...(cursor ? { cursor } : {}) });
        seen.push(...page.events.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect([...seen].sort()).toEqual(events.map((e) => e.id).sort());
      expect(new Set(seen).size).toBe(7);
    });

    it('combines a cursor with filters', async () => {
      const tenant = randomUUID();
      const actor = randomUUID();
      const events = [1, 2, 3, 4].map((s) => newAuditEvent(tenant, { actorUserId: actor, occurredAt: at(s) }));
      await recordAll([...events, newAuditEvent(tenant, { occurredAt: at(5) })]);
      const first = await store().audit.list(tenant, { actorUserId: actor, limit: 2 });
      expect(first.events.map((e) => e.id)).toEqual([events[3]!.id, events[2]!.id]);
      const second = await store().audit.list(tenant, { actorUserId: actor, limit: 2, cursor: first.nextCursor ?? '' });
      expect(second.events.map((e) => e.id)).toEqual([events[1]!.id, events[0]!.id]);
      expect(second.nextCursor).toBeNull();
    });

    it('refuses a cursor it did not make with VALIDATION_FAILED', async () => {
      await expectCode(store().audit.list(randomUUID(), { limit: 5, cursor: 'not-a-cursor' }), 'VALIDATION_FAILED');
    });
  });
};
