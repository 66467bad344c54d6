import type { Logger } from 'pino';
import type { MailTransport, RenderedMail } from '../../../application/ports/mail-transport.port.js';

/**
 * The default transport (`MAIL_TRANSPORT=outbox`): nothing leaves the machine. Each mail is
 * written to the log (and stays in the outbox table, marked sent), so a developer can follow a
 * link without a mail server.
 *
 * Links carry single-use tokens and logs are read by more people, for longer, than mailboxes:
 * outside development and test they are replaced by `[link redacted]`. The recipient is always
 * masked, as everywhere in Gatehouse's logs.
 */
export class LogMailTransport implements MailTransport {
  constructor(
    private readonly logger: Logger,
    private readonly options: { revealLinks: boolean },
  ) {}

  async send(mail: RenderedMail): Promise<void> {
    const text = this.options.revealLinks ? mail.text : redactLinks(mail.text);
    this.logger.info({ mail: { id: mail.id, to: maskAddress(mail.to), subject: mail.subject, text } }, `mail (not delivered: MAIL_TRANSPORT=outbox): ${mail.subject}`);
  }
}

/** Every URL replaced: any of them may hold a token. */
export function redactLinks(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[link redacted]');
}

/** `ada@example.com` → `a***@example.com`. */
function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? `${address[0]}***${address.slice(at)}` : '***';
}
