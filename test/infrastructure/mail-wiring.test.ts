import 'reflect-metadata';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Mailer } from '../../src/application/ports/mailer.port.js';
import type { MailWorker } from '../../src/application/services/mail-worker.js';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import { loadConfig } from '../../src/infrastructure/config/load-config.js';
import { buildContainer } from '../../src/infrastructure/di/container.js';
import { loadOptionalAdapters } from '../../src/infrastructure/di/optional-adapters.js';
import { T } from '../../src/infrastructure/di/tokens.js';
import { startSmtpServer, type TestSmtpServer } from '../adapters/email/smtp-test-server.js';
import { TestClock } from '../support/test-clock.js';

const LINK = 'https://gatehouse.test/auth/reset?token=s3cret-token';

/** The composition root with these variables (and the optional adapters they use), its log lines and the store. */
async function wire(env: Record<string, string>) {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const persistence = createInMemoryPersistence();
  const config = loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_PARAMS: 'test_only_n10r8p1', ...env });
  const container = buildContainer({ config, logger, persistence, clock: new TestClock(new Date('2030-01-01T00:00:00.000Z')), ...(await loadOptionalAdapters(config)) });
  return { lines, persistence, mailer: container.get<Mailer>(T.Mailer), worker: container.get<MailWorker>(T.MailWorker) };
}

describe('mail configuration', () => {
  it('requires SMTP_HOST with MAIL_TRANSPORT=smtp, credentials in pairs, and a real sender in production', () => {
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp' })).toThrow(/SMTP_HOST: required when MAIL_TRANSPORT=smtp/);
    expect(() => loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_HOST: 'smtp.example.com', SMTP_USER: 'mailer' })).toThrow(/SMTP_USER, SMTP_PASSWORD: set both/);
    expect(() => loadConfig({ NODE_ENV: 'production', MAIL_TRANSPORT: 'smtp', SMTP_HOST: 'smtp.example.com' })).toThrow(/MAIL_FROM: set the sender address/);
    expect(() => loadConfig({ MAIL_FROM: 'Gatehouse <no-reply@example.com>\r\nBcc: eve@example.com' })).toThrow(/MAIL_FROM/);
    expect(() => loadConfig({ MAIL_WORKER_INTERVAL_MS: '0' })).toThrow(/MAIL_WORKER_INTERVAL_MS/);
    const config = loadConfig({ NODE_ENV: 'production', MAIL_TRANSPORT: 'smtp', SMTP_HOST: 'smtp.example.com', MAIL_FROM: 'Acme <no-reply@acme.example>' });
    expect(config).toMatchObject({ SMTP_SECURE: false, SMTP_REQUIRE_TLS: true, MAIL_WORKER_INTERVAL_MS: 1000 });
    expect(loadConfig({}).MAIL_FROM).toBe('Gatehouse <no-reply@localhost>');
  });
});

describe('mail through the composition root', () => {
  let server: TestSmtpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('MAIL_TRANSPORT=smtp: a mail enqueued in a unit of work reaches the SMTP server through the worker', async () => {
    server = await startSmtpServer({ disabledCommands: ['STARTTLS'], authOptional: true });
    const { persistence, mailer, worker } = await wire({
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(server.port),
      SMTP_REQUIRE_TLS: 'false',
      MAIL_FROM: 'Gatehouse <no-reply@gatehouse.test>',
    });
    await persistence.uow.run(() => mailer.enqueue({ to: 'ada@example.com', template: 'password_reset', data: { link: LINK } }));
    const arrived = server.next();
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    const mail = await arrived;
    expect(mail).toMatchObject({ from: 'no-reply@gatehouse.test', to: ['ada@example.com'] });
    expect(mail.body).toContain(LINK);
  });

  it('MAIL_TRANSPORT=outbox under NODE_ENV=test: logged with the link, kept in the outbox', async () => {
    const { persistence, mailer, worker, lines } = await wire({});
    await mailer.enqueue({ to: 'ada@example.com', template: 'password_reset', data: { link: LINK } });
    await worker.runOnce();
    expect(lines.join('')).toContain(LINK);
    expect((await persistence.outbox.listRecent('ada@example.com'))[0]).toMatchObject({ state: 'sent', data: { link: LINK } });
  });

  it('MAIL_TRANSPORT=outbox in production: the link is redacted in the log and erased from the sent row', async () => {
    const { persistence, mailer, worker, lines } = await wire({ NODE_ENV: 'production', PASSWORD_HASH_PARAMS: 'n13r8p10' });
    await mailer.enqueue({ to: 'ada@example.com', template: 'password_reset', data: { link: LINK } });
    await worker.runOnce();
    expect(lines.join('')).not.toContain('s3cret-token');
    expect(lines.join('')).toContain('[link redacted]');
    const [row] = await persistence.outbox.listRecent('ada@example.com');
    expect(row?.state).toBe('sent');
    expect(row?.data['link']).toBeUndefined();
  });
});
