import type { MailTemplate } from '../../domain/mail/mail-template.js';

/** Subject and bodies of one mail. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * Turns a template and its data into a mail. Every data value is escaped for HTML. Throws when
 * the data cannot make a mail (a missing field, a link that is not http(s)); the worker then
 * gives the message up instead of retrying it.
 */
export interface MailRenderer {
  render(template: MailTemplate, data: Readonly<Record<string, string>>): MailContent;
}
