import { pino } from 'pino';
import { LogMailTransport } from '../../src/adapters/email/log/log-mail-transport.js';
import { SmtpMailTransport } from '../../src/adapters/email/smtp/smtp-mail-transport.js';
import { selfSignedCertificate, startSmtpServer } from '../adapters/email/smtp-test-server.js';
import { type Arrived, mailTransportContract } from './mail-transport.contract.js';

mailTransportContract('log (MAIL_TRANSPORT=outbox)', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  return {
    transport: new LogMailTransport(logger, { revealLinks: true }),
    arrived: () => lines.map((line) => (JSON.parse(line) as { mail: Arrived }).mail).map(({ id, subject, text }) => ({ id, subject, text })),
    refusing: null,
    close: async () => {},
  };
});

const tls = selfSignedCertificate();

mailTransportContract('SMTP (STARTTLS, AUTH) against a real server on 127.0.0.1', async () => {
  const server = await startSmtpServer({
    key: tls.key,
    cert: tls.cert,
    authOptional: false,
    onAuth: (auth, _session, callback) => callback(auth.username === 'mailer' && auth.password === 'contract-pa55word' ? null : new Error('Authentication credentials invalid'), { user: auth.username }),
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('gone')) callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      else if (address.address.startsWith('busy')) callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      else callback();
    },
  });
  const transport = new SmtpMailTransport({
    host: '127.0.0.1',
    port: server.port,
    secure: false,
    requireTls: true,
    user: 'mailer',
    password: 'contract-pa55word',
    from: 'Gatehouse <no-reply@gatehouse.test>',
    ca: tls.cert,
    timeouts: { connectionMs: 2_000, greetingMs: 2_000, socketMs: 5_000 },
  });
  return {
    transport,
    arrived: () =>
      server.received.map((m) => ({
        id: /^Message-ID: <([^@>]+)@/m.exec(m.body)?.[1] ?? '',
        subject: /^Subject: (.*?)\r?$/m.exec(m.body)?.[1] ?? '',
        text: m.body,
      })),
    refusing: { gone: 'gone', busy: 'busy' },
    close: async () => {
      transport.close();
      await server.close();
    },
  };
});
