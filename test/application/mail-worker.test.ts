import { beforeEach, describe, expect, it } from 'vitest';
import type { MailTransport, RenderedMail } from '../../src/application/ports/mail-transport.port.js';
import type { OutboxRepository } from '../../src/application/ports/outbox-repository.port.js';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import { uuidV7 } from '../../src/application/security/uuid-v7.js';
import { MailDeliveryError } from '../../src/application/services/mail-delivery-error.js';
import { MailWorker, type MailWorkerOptions } from '../../src/application/services/mail-worker.js';
import { OutboxMailer } from '../../src/application/services/outbox-mailer.js';
import { TemplateMailRenderer } from '../../src/adapters/email/template-mail-renderer.js';
import { newOutboxMessage } from '../../src/domain/mail/outbox-message.js';
import { TestClock } from '../support/test-clock.js';
import { inMemoryPersistence, pglitePersistence, type TestPersistence } from '../support/test-database.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const LINK = 'https://gatehouse.test/reset?token=s3cret-token';

/** A transport that records what it was given and fails as scripted ('ok' once the script runs out). */
class FakeTransport implements MailTransport {
  readonly sent: RenderedMail[] = [];
  readonly script: ('ok' | 'transient' | 'permanent')[] = [];

  async send(mail: RenderedMail): Promise<void> {
    const next = this.script.shift() ?? 'ok';
    if (next === 'transient') throw new Error(`connect ECONNREFUSED while sending ${LINK}`);
    if (next === 'permanent') throw new MailDeliveryError('SMTP EENVELOPE 550 at RCPT TO: mailbox unavailable', true);
    this.sent.push(mail);
  }
}

class RecordingLog {
  readonly lines: { level: string; message: string; object: Record<string, unknown> }[] = [];
  info = (object: Record<string, unknown>, message: string) => this.lines.push({ level: 'info', message, object });
  warn = (object: Record<string, unknown>, message: string) => this.lines.push({ level: 'warn', message, object });
  error = (object: Record<string, unknown>, message: string) => this.lines.push({ level: 'error', message, object });
}

const stores: [string, () => Promise<TestPersistence>][] = [
  ['in-memory', inMemoryPersistence],
  ['PGlite', pglitePersistence],
];

for (const [name, open] of stores) {
  describe(`MailWorker [${name}]`, () => {
    let store: Persistence;
    let clock: TestClock;
    let transport: FakeTransport;
    let log: RecordingLog;
    let mailer: OutboxMailer;

    beforeEach(async () => {
      store = (await open()).persistence;
      clock = new TestClock(T0);
      transport = new FakeTransport();
      log = new RecordingLog();
      mailer = new OutboxMailer({ outbox: store.outbox, clock });
    });

    function worker(options: Partial<MailWorkerOptions> = {}, outbox: OutboxRepository = store.outbox): MailWorker {
      const deps = { outbox, renderer: new TemplateMailRenderer(), transport, clock, log, random: () => 0.5 };
      return new MailWorker(deps, { eraseLinkAfterSend: false, ...options });
    }

    const resetMail = (to = 'ada@example.com') => ({ to, template: 'password_reset' as const, data: { link: LINK, name: 'Ada' } });

    it('delivers a mail enqueued in a committed unit of work, rendered, and marks it sent', async () => {
      await store.uow.run(() => mailer.enqueue(resetMail('Ada@Example.com')));
      expect(await worker().runOnce()).toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0, lost: 0 });
      expect(transport.sent).toHaveLength(1);
      expect(transport.sent[0]).toMatchObject({ to: 'ada@example.com', subject: 'Reset your Gatehouse password' });
      expect(transport.sent[0]!.text).toContain(LINK);
      const [row] = await store.outbox.listRecent('ada@example.com');
      expect(row).toMatchObject({ state: 'sent', attempts: 1, sentAt: T0, data: { link: LINK } });
      expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
    });

    it('erases the link once sent when told to (production)', async () => {
      await mailer.enqueue(resetMail());
      await worker({ eraseLinkAfterSend: true }).runOnce();
      expect((await store.outbox.listRecent('ada@example.com'))[0]!.data).toEqual({ name: 'Ada' });
    });

    it('never sends a mail enqueued in a unit of work that throws', async () => {
      await expect(
        store.uow.run(async () => {
          await mailer.enqueue(resetMail());
          throw new Error('the password change failed');
        }),
      ).rejects.toThrow('the password change failed');
      clock.advance(365 * 86_400);
      expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
      expect(transport.sent).toEqual([]);
      expect(await store.outbox.listRecent('ada@example.com')).toEqual([]);
    });

    it('retries after a transport failure with exponential backoff, keeping a scrubbed error', async () => {
      await mailer.enqueue(resetMail());
      transport.script.push('transient', 'transient');
      const w = worker({ policy: { maxAttempts: 5, baseDelaySeconds: 10, maxDelaySeconds: 900 } });
      expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      const [first] = await store.outbox.listRecent('ada@example.com');
      // Attempt 1 failed: 10 s base, equal jitter at 0.5 → 5 + 2.5 s.
      expect(first).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: new Date(T0.getTime() + 7_500) });
      expect(first!.lastError).toBe('Error: connect ECONNREFUSED while sending [url]');
      clock.advance(7);
      expect(await w.runOnce()).toMatchObject({ claimed: 0 });
      clock.advance(0.5);
      expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
      // Attempt 2 failed: 20 s → 10 + 5 s.
      expect((await store.outbox.listRecent('ada@example.com'))[0]!.nextAttemptAt).toEqual(new Date(T0.getTime() + 7_500 + 15_000));
      clock.advance(15);
      expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
      expect(transport.sent).toHaveLength(1);
      expect((await store.outbox.listRecent('ada@example.com'))[0]).toMatchObject({ state: 'sent', attempts: 3 });
      expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
      expect(JSON.stringify(log.lines)).not.toContain('s3cret-token');
    });

    it('gives up after the maximum attempts: failed, logged, never claimed again', async () => {
      await mailer.enqueue(resetMail());
      transport.script.push('transient', 'transient', 'transient', 'transient');
      const w = worker({ policy: { maxAttempts: 3, baseDelaySeconds: 10, maxDelaySeconds: 60 } });
      for (let i = 0; i < 3; i++) {
        await w.runOnce();
        clock.advance(60);
      }
      expect((await store.outbox.listRecent('ada@example.com'))[0]).toMatchObject({ state: 'failed', attempts: 3, nextAttemptAt: null });
      expect(log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['mail given up (failed)']);
      clock.advance(365 * 86_400);
      expect(await w.runOnce()).toMatchObject({ claimed: 0 });
      expect(transport.sent).toEqual([]);
    });

    it('gives up at once on a permanent refusal or a mail that cannot be rendered', async () => {
      await mailer.enqueue(resetMail('refused@example.com'));
      // Written around the Mailer's checks, as an older version or a hand edit might have.
      await store.outbox.add(newOutboxMessage({ id: uuidV7(), to: 'broken@example.com', template: 'invitation', data: { link: LINK }, now: T0 }));
      transport.script.push('permanent');
      expect(await worker().runOnce()).toMatchObject({ claimed: 2, failed: 2 });
      expect((await store.outbox.listRecent('refused@example.com'))[0]).toMatchObject({ state: 'failed', attempts: 1, lastError: 'SMTP EENVELOPE 550 at RCPT TO: mailbox unavailable' });
      expect((await store.outbox.listRecent('broken@example.com'))[0]).toMatchObject({ state: 'failed', lastError: 'cannot render: Error: invitation: missing organizationName' });
    });

    it('loses nothing when a worker crashes after claiming: the lease lapses and another worker sends it', async () => {
      await mailer.enqueue(resetMail());
      // The crashed worker: it claimed (leased) the message and was never heard of again.
      expect(await store.outbox.claimDue(clock.now(), 10, 120)).toHaveLength(1);
      const survivor = worker({ leaseSeconds: 120 });
      expect(await survivor.runOnce()).toMatchObject({ claimed: 0 });
      clock.advance(119);
      expect(await survivor.runOnce()).toMatchObject({ claimed: 0 });
      clock.advance(1);
      expect(await survivor.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
      expect(transport.sent.map((m) => m.to)).toEqual(['ada@example.com']);
      expect((await store.outbox.listRecent('ada@example.com'))[0]).toMatchObject({ state: 'sent', attempts: 2 });
    });

    it('resends, with the same id, a mail whose outcome could not be recorded (at least once)', async () => {
      await mailer.enqueue(resetMail());
      let failMark = true;
      const real = store.outbox;
      const flaky: OutboxRepository = {
        add: (m) => real.add(m),
        claimDue: (...args) => real.claimDue(...args),
        markFailed: (...args) => real.markFailed(...args),
        listRecent: (...args) => real.listRecent(...args),
        markSent: (...args) => {
          if (!failMark) return real.markSent(...args);
          failMark = false;
          return Promise.reject(new Error('database connection lost'));
        },
      };
      const w = worker({ leaseSeconds: 60 }, flaky);
      expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 0 });
      expect(log.lines.at(-1)).toMatchObject({ level: 'error' });
      clock.advance(60);
      expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
      expect(transport.sent.map((m) => m.id)).toEqual([transport.sent[0]!.id, transport.sent[0]!.id]);
    });

    it('gives up without sending a message whose leases lapsed more often than the attempts allow', async () => {
      await mailer.enqueue(resetMail());
      for (let i = 0; i < 2; i++) {
        await store.outbox.claimDue(clock.now(), 10, 60);
        clock.advance(60);
      }
      expect(await worker({ policy: { maxAttempts: 2, baseDelaySeconds: 1, maxDelaySeconds: 1 } }).runOnce()).toMatchObject({ claimed: 1, failed: 1 });
      expect(transport.sent).toEqual([]);
      expect((await store.outbox.listRecent('ada@example.com'))[0]!.lastError).toMatch(/lease lapsed 2 times/);
    });

    it('lets two workers drain 30 mails concurrently, each sent exactly once', async () => {
      for (let i = 0; i < 30; i++) await mailer.enqueue(resetMail(`user${i}@example.com`));
      const a = worker({ batchSize: 4 });
      const b = worker({ batchSize: 4 });
      for (let round = 0; round < 10; round++) await Promise.all([a.runOnce(), b.runOnce()]);
      const recipients = transport.sent.map((m) => m.to);
      expect(recipients).toHaveLength(30);
      expect(new Set(recipients).size).toBe(30);
    });

    it('polls on start and finishes its pass on stop', async () => {
      const w = worker();
      const delivered = new Promise<void>((resolve) => {
        const send = transport.send.bind(transport);
        transport.send = async (mail) => {
          await send(mail);
          resolve();
        };
      });
      w.start(10);
      await mailer.enqueue(resetMail());
      await delivered;
      await w.stop();
      expect((await store.outbox.listRecent('ada@example.com'))[0]).toMatchObject({ state: 'sent' });
    });
  });
}
