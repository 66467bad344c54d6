import type { MailTemplate } from '../../domain/mail/mail-template.js';

/**
 * The mails Gatehouse sends; each has one template with its own required fields
 * (`MAIL_TEMPLATE_FIELDS` in src/domain/mail/mail-template.ts, listed in docs/email.md).
 */
export type { MailTemplate };

/** One mail to send. `data` holds the template's fields (links carry their single-use token). */
export interface MailMessage {
  to: string;
  template: MailTemplate;
  data: Record<string, string>;
}

/**
 * Sends mail through the transactional outbox: `enqueue` writes the message in the
 * current unit of work, so it exists if and only if the change that caused it
 * committed; a worker delivers it afterwards with retries. A crash between commit
 * and send loses nothing.
 *
 * Throws MAIL_DATA_INVALID (a bug of the caller: unknown template, missing field,
 * a link that is not absolute http(s), a recipient that is not a plain address)
 * before writing anything, which rolls the caller's unit of work back.
 */
export interface Mailer {
  enqueue(message: MailMessage): Promise<void>;
}
