import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedMail } from '../../../src/application/ports/mail-transport.port.js';
import { MailDeliveryError } from '../../../src/application/services/mail-delivery-error.js';
import { SmtpMailTransport } from '../../../src/adapters/email/smtp/smtp-mail-transport.js';
import type { SmtpSettings } from '../../../src/adapters/email/smtp/smtp-settings.js';
import { TemplateMailRenderer } from '../../../src/adapters/email/template-mail-renderer.js';
import { selfSignedCertificate, startSmtpServer, type TestSmtpServer } from './smtp-test-server.js';

const LINK = 'https://gatehouse.test/reset?token=Zm9vYmFyYmF6&lang=en';
const PASSWORD = 'smtp-pa55word-never-logged';
const FAST = { connectionMs: 2_000, greetingMs: 2_000, socketMs: 5_000 };

function resetMail(to = 'ada@example.com'): RenderedMail {
  const content = new TemplateMailRenderer().render('password_reset', { link: LINK, name: 'Ada <b>' });
  return { id: '01a2093d-c6d9-7000-bfd6-b264a8ab3f73', to, ...content };
}

/** What a send failed with (the test fails if it did not). */
async function failure(promise: Promise<void>): Promise<MailDeliveryError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailDeliveryError);
  return error as MailDeliveryError;
}

describe('SmtpMailTransport against a real SMTP server on 127.0.0.1', () => {
  let tls: { key: string; cert: string };
  let server: TestSmtpServer | undefined;

  beforeAll(() => {
    tls = selfSignedCertificate();
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function transport(settings: Partial<SmtpSettings> & { port: number }): SmtpMailTransport {
    return new SmtpMailTransport({ host: '127.0.0.1', secure: false, requireTls: true, from: 'Gatehouse <no-reply@gatehouse.test>', ca: tls.cert, timeouts: FAST, ...settings });
  }

  /** A STARTTLS server that demands AUTH and accepts only mailer / PASSWORD. */
  function authenticatingServer() {
    return startSmtpServer({
      key: tls.key,
      cert: tls.cert,
      authOptional: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === PASSWORD) callback(null, { user: auth.username });
        else callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      },
    });
  }

  it('delivers over STARTTLS with authentication: recipient, sender, subject, link, stable Message-ID', async () => {
    server = await authenticatingServer();
    const arrived = server.next();
    await transport({ port: server.port, user: 'mailer', password: PASSWORD }).send(resetMail());
    const mail = await arrived;
    expect(mail).toMatchObject({ from: 'no-reply@gatehouse.test', to: ['ada@example.com'], secure: true, user: 'mailer' });
    expect(mail.body).toMatch(/^Subject: Reset your Gatehouse password\r?$/m);
    expect(mail.body).toMatch(/^From: Gatehouse <no-reply@gatehouse\.test>\r?$/m);
    expect(mail.body).toMatch(/^Message-ID: <01a2093d-c6d9-7000-bfd6-b264a8ab3f73@gatehouse\.test>\r?$/m);
    expect(mail.body).toMatch(/^Auto-Submitted: auto-generated\r?$/m);
    // The text part carries the link as is; the HTML part escaped (& → &amp;), the name too.
    expect(mail.body).toContain(LINK);
    expect(mail.body).toContain('href="https://gatehouse.test/reset?token=Zm9vYmFyYmF6&amp;lang=en"');
    expect(mail.body).toContain('Hi Ada &lt;b&gt;,');
    expect(mail.raw).not.toContain(PASSWORD);
  });

  it('delivers over implicit TLS (SMTP_SECURE=true)', async () => {
    server = await startSmtpServer({ secure: true, key: tls.key, cert: tls.cert, authOptional: true });
    const arrived = server.next();
    await transport({ port: server.port, secure: true }).send(resetMail());
    expect(await arrived).toMatchObject({ to: ['ada@example.com'], secure: true, user: null });
  });

  it('delivers in clear to a local catcher when TLS is not required', async () => {
    server = await startSmtpServer({ disabledCommands: ['STARTTLS'], authOptional: true });
    const arrived = server.next();
    await transport({ port: server.port, requireTls: false }).send(resetMail());
    expect(await arrived).toMatchObject({ to: ['ada@example.com'], secure: false });
  });

  it('refuses to authenticate or send without TLS when TLS is required (transient: a configuration problem)', async () => {
    server = await startSmtpServer({ disabledCommands: ['STARTTLS'], authOptional: false, allowInsecureAuth: true, onAuth: (_a, _s, cb) => cb(null, { user: 'x' }) });
    const error = await failure(transport({ port: server.port, user: 'mailer', password: PASSWORD }).send(resetMail()));
    expect(error.permanent).toBe(false);
    expect(error.message).toMatch(/^SMTP E/);
    expect(error.message).not.toContain(PASSWORD);
    expect(server.received).toEqual([]);
  });

  it('reports a wrong password as a transient EAUTH failure that does not contain the password', async () => {
    server = await authenticatingServer();
    const error = await failure(transport({ port: server.port, user: 'mailer', password: `${PASSWORD}-wrong` }).send(resetMail()));
    expect(error.permanent).toBe(false);
    expect(error.message).toMatch(/^SMTP EAUTH 535 at AUTH PLAIN: 535 Authentication credentials invalid/);
    expect(error.message).not.toContain(PASSWORD);
    expect(server.received).toEqual([]);
  });

  it('treats a 550 refusal of the recipient as permanent, a 451 as transient', async () => {
    server = await startSmtpServer({
      key: tls.key,
      cert: tls.cert,
      authOptional: true,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('gone')) callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        else if (address.address.startsWith('busy')) callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        else callback();
      },
    });
    const gone = await failure(transport({ port: server.port }).send(resetMail('gone@example.com')));
    expect(gone.permanent).toBe(true);
    expect(gone.message).toMatch(/^SMTP EENVELOPE 550 at RCPT TO: 550 Mailbox unavailable/);
    const busy = await failure(transport({ port: server.port }).send(resetMail('busy@example.com')));
    expect(busy.permanent).toBe(false);
    expect(server.received).toEqual([]);
  });

  it('reports an unreachable server as a transient connection failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(transport({ port }).send(resetMail()));
    expect(error.permanent).toBe(false);
    expect(error.message).toMatch(/^SMTP (ECONNECTION|ESOCKET)/);
  });

  it('refuses a server certificate it does not trust', async () => {
    server = await startSmtpServer({ key: tls.key, cert: tls.cert, authOptional: true });
    const error = await failure(transport({ port: server.port, ca: undefined }).send(resetMail()));
    expect(error.permanent).toBe(false);
    expect(server.received).toEqual([]);
  });
});
