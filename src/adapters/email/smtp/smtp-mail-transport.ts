import { createTransport, type NodemailerError, type SMTPSentMessageInfo, type Transporter } from 'nodemailer';
import type { MailTransport, RenderedMail } from '../../../application/ports/mail-transport.port.js';
import { MailDeliveryError } from '../../../application/services/mail-delivery-error.js';
import { DEFAULT_SMTP_TIMEOUTS, type SmtpSettings } from './smtp-settings.js';

/**
 * Delivers mail through an SMTP server with nodemailer, one connection per mail (the worker
 * sends a batch concurrently). Every nodemailer error becomes a MailDeliveryError whose message
 * holds the SMTP code, command and the server's first reply line — never the credentials, which
 * nodemailer does not put in errors and which are scrubbed here anyway.
 */
export class SmtpMailTransport implements MailTransport {
  readonly #transporter: Transporter<SMTPSentMessageInfo>;
  readonly #messageIdDomain: string;

  constructor(private readonly settings: SmtpSettings) {
    const timeouts = settings.timeouts ?? DEFAULT_SMTP_TIMEOUTS;
    this.#transporter = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls && !settings.secure,
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
      tls: { minVersion: 'TLSv1.2', ...(settings.ca ? { ca: settings.ca } : {}) },
      connectionTimeout: timeouts.connectionMs,
      greetingTimeout: timeouts.greetingMs,
      socketTimeout: timeouts.socketMs,
      // Our mails have no attachments: never let message fields read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
    this.#messageIdDomain = /@([^\s@>]+)>?\s*$/.exec(settings.from)?.[1] ?? 'gatehouse.invalid';
  }

  async send(mail: RenderedMail): Promise<void> {
    let info: SMTPSentMessageInfo;
    try {
      info = await this.#transporter.sendMail({
        from: this.settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // Stable per outbox message: a resend after a lost acknowledgement is the same message.
        messageId: `<${mail.id}@${this.#messageIdDomain}>`,
        // RFC 3834: automatic mail; out-of-office responders stay quiet.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      throw this.#translate(error);
    }
    if (info.rejected.length > 0) throw new MailDeliveryError('SMTP: the server refused the recipient', true);
  }

  /** Closes idle connections (none are kept: nothing to wait for). */
  close(): void {
    this.#transporter.close();
  }

  #translate(error: unknown): MailDeliveryError {
    if (!(error instanceof Error)) return new MailDeliveryError('SMTP: unknown error', false);
    const e = error as NodemailerError;
    const code = e.code ?? 'ERROR';
    const command = e.command && /^[A-Z][A-Z0-9 -]{0,30}$/.test(e.command) ? ` at ${e.command}` : '';
    const reply = e.response?.split(/\r?\n/)[0] ?? e.message;
    const status = e.responseCode ? ` ${e.responseCode}` : '';
    // Refused for good: the envelope or the message, with a 5xx reply (or refused before sending).
    const permanent = (code === 'EENVELOPE' || code === 'EMESSAGE') && (e.responseCode === undefined ? e.command === 'API' : e.responseCode >= 500);
    return new MailDeliveryError(this.#scrub(`SMTP ${code}${status}${command}: ${reply}`.slice(0, 300)), permanent);
  }

  #scrub(text: string): string {
    const { password } = this.settings;
    return password ? text.split(password).join('[redacted]') : text;
  }
}
