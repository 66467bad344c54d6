import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/processes.js';
import { runServerProcess, waitForOk } from '../support/server-process.js';
import { startSmtpServer, type TestSmtpServer } from '../adapters/email/smtp-test-server.js';

describe('mail from the server process', () => {
  let smtp: TestSmtpServer | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await smtp?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps a mail committed before a crash and delivers it over SMTP after the restart', async () => {
    smtp = await startSmtpServer({ disabledCommands: ['STARTTLS'], authOptional: true });
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-mail-'));
    const port = await freePort();
    const env = {
      NODE_ENV: 'test',
      PASSWORD_HASH_PARAMS: 'test_only_n10r8p1',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: join(dir, 'data'),
      MAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_REQUIRE_TLS: 'false',
      MAIL_FROM: 'Gatehouse <no-reply@gatehouse.test>',
    };
    // First life: the worker polls once at start, then not for a minute; the registration's mail commits and waits.
    const first = runServerProcess({ ...env, MAIL_WORKER_INTERVAL_MS: '60000' });
    await waitForOk(`http://127.0.0.1:${port}/health`);
    const registered = await fetch(`http://127.0.0.1:${port}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery staple', name: 'Ada' }),
    });
    expect(registered.status).toBe(202);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(smtp.received).toEqual([]);

    // Second life: the worker finds the mail in the outbox and sends it.
    const arrived = smtp.next();
    const second = runServerProcess({ ...env, MAIL_WORKER_INTERVAL_MS: '100' });
    const mail = await arrived;
    expect(mail).toMatchObject({ from: 'no-reply@gatehouse.test', to: ['ada@example.com'] });
    expect(mail.body).toMatch(/^Subject: Confirm your email address for Gatehouse\r?$/m);
    expect(mail.body).toMatch(/\/verify-email\?token=[A-Za-z0-9_-]{43}/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('mail sent');
    expect(smtp.received).toHaveLength(1);
  }, 90_000);
});
