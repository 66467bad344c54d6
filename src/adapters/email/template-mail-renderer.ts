import type { MailContent, MailRenderer } from '../../application/ports/mail-renderer.port.js';
import { MAIL_TEMPLATE_FIELDS, type MailTemplate } from '../../domain/mail/mail-template.js';
import { TEMPLATES } from './templates/index.js';
import { renderMail } from './templates/mail-layout.js';

/** Renders Gatehouse's built-in templates (English) as subject, text and HTML. */
export class TemplateMailRenderer implements MailRenderer {
  render(template: MailTemplate, data: Readonly<Record<string, string>>): MailContent {
    const define = TEMPLATES[template];
    if (!define) throw new Error(`Unknown mail template "${String(template)}"`);
    // Checked again here: a row written by an older version, or edited by hand, must fail cleanly.
    const missing = MAIL_TEMPLATE_FIELDS[template].filter((field) => !data[field]);
    if (missing.length > 0) throw new Error(`${template}: missing ${missing.join(', ')}`);
    return renderMail(define(data));
  }
}
