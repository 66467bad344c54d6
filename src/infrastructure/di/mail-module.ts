import type { Container } from 'inversify';
import type { Logger } from 'pino';
import type { MailTransport } from '../../application/ports/mail-transport.port.js';
import type { Mailer } from '../../application/ports/mailer.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import { MailWorker } from '../../application/services/mail-worker.js';
import { OutboxMailer } from '../../application/services/outbox-mailer.js';
import { LogMailTransport } from '../../adapters/email/log/log-mail-transport.js';
import type { SmtpMailTransport } from '../../adapters/email/smtp/smtp-mail-transport.js';
import { TemplateMailRenderer } from '../../adapters/email/template-mail-renderer.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config/config.schema.js';
import { T } from './tokens.js';

/**
 * The SMTP transport's module (and through it nodemailer), loaded by createGatehouse
 * (optional-adapters.ts) only when MAIL_TRANSPORT=smtp.
 */
export type SmtpAdapter = { SmtpMailTransport: typeof SmtpMailTransport };

/** Whether mail is delivered through SMTP (every transport but the log/outbox one). */
export function smtpConfigured(config: Config): boolean {
  return config.MAIL_TRANSPORT !== 'outbox';
}

/**
 * Mail (docs/email.md): every configuration writes mail to the outbox (`T.Mailer`); the worker
 * (`T.MailWorker`, started by the server) delivers it through the transport MAIL_TRANSPORT names.
 * Links are shown in the log and kept in the outbox after delivery only outside production.
 */
export function bindMail(c: Container, config: Config, logger: Logger, smtp: SmtpAdapter | undefined): void {
  const development = config.NODE_ENV !== 'production';
  const Smtp = smtpConfigured(config) ? smtp?.SmtpMailTransport : undefined;
  if (smtpConfigured(config) && !Smtp) throw new Error('MAIL_TRANSPORT=smtp needs the SMTP transport (createGatehouse loads it)');
  c.bind<Mailer>(T.Mailer).toResolvedValue((p: Persistence, clock: Clock) => new OutboxMailer({ outbox: p.outbox, clock }), [T.Persistence, T.Clock]);
  c.bind<MailTransport>(T.MailTransport).toResolvedValue(() => {
    if (!Smtp) return new LogMailTransport(logger.child({ component: 'mail' }), { revealLinks: development });
    return new Smtp({
      // loadConfig refuses MAIL_TRANSPORT=smtp without SMTP_HOST.
      host: config.SMTP_HOST ?? '',
      port: config.SMTP_PORT ?? (config.SMTP_SECURE ? 465 : 587),
      secure: config.SMTP_SECURE,
      requireTls: config.SMTP_REQUIRE_TLS,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
      from: config.MAIL_FROM,
    });
  });
  c.bind<MailWorker>(T.MailWorker).toResolvedValue(
    (p: Persistence, transport: MailTransport, clock: Clock) =>
      new MailWorker(
        { outbox: p.outbox, renderer: new TemplateMailRenderer(), transport, clock, log: logger.child({ component: 'mail-worker' }) },
        { eraseLinkAfterSend: !development },
      ),
    [T.Persistence, T.MailTransport, T.Clock],
  );
}
