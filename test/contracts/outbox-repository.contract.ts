import { describe, expect, it } from 'vitest';
import { uuidV7 } from '../../src/application/security/uuid-v7.js';
import type { MailTemplate } from '../../src/domain/mail/mail-template.js';
import { newOutboxMessage, type OutboxMessage } from '../../src/domain/mail/outbox-message.js';
import { type ContractSuite, T0, at, unique, useStore } from './fixtures.js';

class Boom extends Error {}

/** Far past every instant the tests use: a claim at this time takes everything left over. */
const END = new Date('2100-01-01T00:00:00.000Z');

export const outboxRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`OutboxRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    function message(input: { to?: string; template?: MailTemplate; now?: Date; data?: Record<string, string> } = {}): OutboxMessage {
      return newOutboxMessage({
        id: uuidV7(),
        to: input.to ?? `${unique('ada')}@example.test`,
        template: input.template ?? 'password_reset',
        data: input.data ?? { link: 'https://gatehouse.test/reset?token=abc123', name: 'Ada' },
        now: input.now ?? T0,
      });
    }

    /** Tests share one store: earlier tests' messages are delivered first so claims see only this test's. */
    async function settleEverything(): Promise<void> {
      for (const m of await store().outbox.claimDue(END, 10_000, 60)) await store().outbox.markSent(m, END);
    }

    it('stores a message and lists it back, newest first, by recipient case-insensitively', async () => {
      const to = `${unique('ada')}@example.test`;
      const first = message({ to, template: 'verification' });
      const second = message({ to, template: 'magic_link', now: at(1) });
      const other = message();
      for (const m of [first, second, other]) await store().outbox.add(m);
      expect(await store().outbox.listRecent(to)).toEqual([second, first]);
      expect(await store().outbox.listRecent(to.toUpperCase(), 1)).toEqual([second]);
      expect((await store().outbox.listRecent(undefined, 500)).map((m) => m.id)).toEqual(expect.arrayContaining([first.id, second.id, other.id]));
      expect(await store().outbox.listRecent('nobody@example.test')).toEqual([]);
    });

    it('joins the unit of work: a message added in a rolled-back one leaves nothing, a committed one stays', async () => {
      const to = `${unique('ada')}@example.test`;
      await expect(
        store().uow.run(async () => {
          await store().outbox.add(message({ to }));
          expect(await store().outbox.listRecent(to)).toHaveLength(1);
          throw new Boom('the change that caused the mail failed');
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store().outbox.listRecent(to)).toEqual([]);
      await store().uow.run(() => store().outbox.add(message({ to })));
      expect(await store().outbox.listRecent(to)).toHaveLength(1);
    });

    it('claims due pending messages, oldest due first, leased and counted, up to the limit', async () => {
      await settleEverything();
      const early = message({ now: at(0) });
      const later = message({ now: at(5) });
      const notYet = message({ now: at(50) });
      for (const m of [later, notYet, early]) await store().outbox.add(m);
      const claimed = await store().outbox.claimDue(at(10), 1, 60);
      expect(claimed).toEqual([{ ...early, state: 'sending', attempts: 1, leaseUntil: at(70), updatedAt: at(10) }]);
      expect((await store().outbox.claimDue(at(10), 10, 60)).map((m) => m.id)).toEqual([later.id]);
      expect(await store().outbox.claimDue(at(10), 10, 60)).toEqual([]);
      // The first two are still leased (until 70 s): only the newly due one comes back.
      expect((await store().outbox.claimDue(at(50), 10, 60)).map((m) => m.id)).toEqual([notYet.id]);
    });

    it('never hands the same message to two of 5 concurrent workers', async () => {
      await settleEverything();
      const messages = Array.from({ length: 20 }, (_, i) => message({ now: at(i) }));
      for (const m of messages) await store().outbox.add(m);
      const batches = await Promise.all(Array.from({ length: 5 }, () => store().outbox.claimDue(at(30), 10, 60)));
      const ids = batches.flat().map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      // Whatever a worker skipped stays claimable; nothing was claimed twice or lost.
      const rest = (await store().outbox.claimDue(at(30), 100, 60)).map((m) => m.id);
      expect([...ids, ...rest].sort()).toEqual(messages.map((m) => m.id).sort());
      expect(batches.flat().every((m) => m.attempts === 1 && m.state === 'sending')).toBe(true);
    });

    it('lets another worker reclaim a message whose lease lapsed, and fences off the first worker', async () => {
      await settleEverything();
      const m = message();
      await store().outbox.add(m);
      const [crashed] = await store().outbox.claimDue(at(0), 10, 60);
      expect(await store().outbox.claimDue(at(59), 10, 60)).toEqual([]);
      const [taken] = await store().outbox.claimDue(at(60), 10, 60);
      expect(taken).toMatchObject({ id: m.id, state: 'sending', attempts: 2, leaseUntil: at(120) });
      expect(await store().outbox.markSent(crashed!, at(61))).toBe(false);
      expect(await store().outbox.markFailed(crashed!, 'late', at(500), at(61))).toBe(false);
      expect(await store().outbox.markSent(taken!, at(62))).toBe(true);
      expect(await store().outbox.markSent(taken!, at(63))).toBe(false);
      expect((await store().outbox.listRecent(m.to))[0]).toMatchObject({ state: 'sent', attempts: 2, sentAt: at(62), leaseUntil: null, nextAttemptAt: null });
    });

    it('schedules a retry after a failure, and keeps a dead message for good', async () => {
      await settleEverything();
      const m = message();
      await store().outbox.add(m);
      const [first] = await store().outbox.claimDue(at(0), 10, 60);
      const error = 'connect ECONNREFUSED while sending https://gatehouse.test/reset?token=abc123 to ada@example.test';
      expect(await store().outbox.markFailed(first!, error, at(30), at(1))).toBe(true);
      const [pending] = await store().outbox.listRecent(m.to);
      expect(pending).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: at(30), leaseUntil: null, updatedAt: at(1) });
      expect(pending!.lastError).toBe('connect ECONNREFUSED while sending [url] to [email]');
      expect(await store().outbox.claimDue(at(29), 10, 60)).toEqual([]);
      const [second] = await store().outbox.claimDue(at(30), 10, 60);
      expect(second).toMatchObject({ id: m.id, attempts: 2 });
      expect(await store().outbox.markFailed(second!, '550 mailbox unavailable', null, at(31))).toBe(true);
      expect((await store().outbox.listRecent(m.to))[0]).toMatchObject({ state: 'failed', attempts: 2, nextAttemptAt: null, lastError: '550 mailbox unavailable' });
      expect(await store().outbox.claimDue(END, 10, 60)).toEqual([]);
    });

    it('marks a message sent, erasing its link only when asked', async () => {
      await settleEverything();
      const kept = message();
      const erased = message();
      for (const m of [kept, erased]) await store().outbox.add(m);
      const claims = await store().outbox.claimDue(at(0), 10, 60);
      expect(claims).toHaveLength(2);
      const claimOf = (m: OutboxMessage) => claims.find((c) => c.id === m.id)!;
      expect(await store().outbox.markSent(claimOf(kept), at(1))).toBe(true);
      expect(await store().outbox.markSent(claimOf(erased), at(1), { eraseLink: true })).toBe(true);
      expect((await store().outbox.listRecent(kept.to))[0]).toMatchObject({ state: 'sent', sentAt: at(1), data: kept.data });
      expect((await store().outbox.listRecent(erased.to))[0]!.data).toEqual({ name: 'Ada' });
      expect(await store().outbox.claimDue(END, 10, 60)).toEqual([]);
    });
  });
};
