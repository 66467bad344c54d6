import { describe, expect, it } from 'vitest';
import { OutboxMailer } from '../../src/application/services/outbox-mailer.js';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import type { MailTemplate } from '../../src/domain/mail/mail-template.js';
import { isDomainError } from '../../src/domain/shared/domain-error.js';
import { TestClock } from '../support/test-clock.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');

function setup() {
  const persistence = createInMemoryPersistence();
  return { persistence, mailer: new OutboxMailer({ outbox: persistence.outbox, clock: new TestClock(T0) }) };
}

describe('OutboxMailer', () => {
  it('writes a pending message, due now, to the normalized address', async () => {
    const { persistence, mailer } = setup();
    await mailer.enqueue({ to: '  Ada@Example.COM ', template: 'verification', data: { link: 'https://g.test/v?token=1', name: 'Ada' } });
    const [message] = await persistence.outbox.listRecent('ada@example.com');
    expect(message).toMatchObject({ to: 'ada@example.com', template: 'verification', state: 'pending', attempts: 0, nextAttemptAt: T0, data: { link: 'https://g.test/v?token=1', name: 'Ada' } });
  });

  it('refuses a malformed mail with MAIL_DATA_INVALID before writing, rolling the causing change back', async () => {
    const { persistence, mailer } = setup();
    const error = await persistence.uow
      .run(async () => {
        await persistence.outbox.add({ ...(await firstMessage()), id: 'caused-by-the-change' });
        await mailer.enqueue({ to: 'ada@example.com', template: 'password_reset', data: { name: 'Ada' } });
      })
      .catch((e: unknown) => e);
    expect(isDomainError(error, 'MAIL_DATA_INVALID')).toBe(true);
    expect(await persistence.outbox.listRecent()).toEqual([]);

    const bad: [string, string, Record<string, string>][] = [
      ['ada@example.com', 'password_reset', { link: 'javascript:alert(1)' }],
      ['ada@example.com\nbcc: eve@example.com', 'password_reset', { link: 'https://g.test' }],
      ['ada@example.com', 'newsletter', { link: 'https://g.test' }],
    ];
    for (const [to, template, data] of bad) {
      const refused = await mailer.enqueue({ to, template: template as MailTemplate, data }).catch((e: unknown) => e);
      expect(isDomainError(refused, 'MAIL_DATA_INVALID'), `${to} ${template}`).toBe(true);
    }
    expect(await persistence.outbox.listRecent()).toEqual([]);
  });
});

async function firstMessage() {
  const { persistence, mailer } = setup();
  await mailer.enqueue({ to: 'bob@example.com', template: 'magic_link', data: { link: 'https://g.test/m?token=1' } });
  return (await persistence.outbox.listRecent())[0]!;
}
