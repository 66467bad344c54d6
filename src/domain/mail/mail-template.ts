import { DomainError } from '../shared/domain-error.js';

/** The mails Gatehouse sends, one template each. */
export const MAIL_TEMPLATES = [
  'verification',
  'activation',
  'invitation',
  'password_reset',
  'magic_link',
  'account_exists',
  'mfa_changed',
  'new_sign_in',
  'payment_failed',
] as const;

/** The name of one template. */
export type MailTemplate = (typeof MAIL_TEMPLATES)[number];

/**
 * The `data` fields each template cannot do without. Templates read some optional fields too
 * (`name`, `inviterName`, `role`, `userAgent`, `amount`, …; see docs/email.md). `link` is an
 * absolute http(s) URL built by the caller; it usually carries a single-use token.
 */
export const MAIL_TEMPLATE_FIELDS: Readonly<Record<MailTemplate, readonly string[]>> = {
  verification: ['link'],
  activation: ['link'],
  invitation: ['link', 'organizationName'],
  password_reset: ['link'],
  magic_link: ['link'],
  account_exists: ['link', 'confirmed'],
  mfa_changed: ['change'],
  new_sign_in: ['occurredAt', 'ip'],
  payment_failed: ['link', 'organizationName'],
};

/** Longest value of one data field: mail is not a place for blobs, and this bounds a row. */
export const MAX_MAIL_FIELD_LENGTH = 2048;

/** Longest address RFC 5321 allows in a path. */
const MAX_ADDRESS_LENGTH = 320;

/**
 * Checks a mail before it is queued, so a malformed one fails inside the caller's unit of work
 * (rolling the change back with it) instead of dying later in the worker. These are bugs of the
 * caller, not of the person being mailed: MAIL_DATA_INVALID answers 500 and names no value.
 */
export function assertMailable(to: string, template: string, data: Readonly<Record<string, unknown>>): asserts template is MailTemplate {
  if (!(MAIL_TEMPLATES as readonly string[]).includes(template)) invalid(`unknown mail template "${template}"`);
  // CR/LF or spaces in an address would let it smuggle headers or extra recipients.
  if (to.length > MAX_ADDRESS_LENGTH || !/^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/.test(to)) invalid(`${template}: the recipient is not a plain email address`);
  for (const [field, value] of Object.entries(data)) {
    if (typeof value !== 'string') invalid(`${template}: field "${field}" is not a string`);
    if (value.length > MAX_MAIL_FIELD_LENGTH) invalid(`${template}: field "${field}" is longer than ${MAX_MAIL_FIELD_LENGTH}`);
  }
  const missing = MAIL_TEMPLATE_FIELDS[template as MailTemplate].filter((field) => !data[field]);
  if (missing.length > 0) invalid(`${template}: missing ${missing.join(', ')}`);
  // Escaping does not neutralise a javascript: URL in an href; only http(s) links are accepted.
  if (data['link'] !== undefined && !isWebLink(String(data['link']))) invalid(`${template}: link is not an absolute http(s) URL`);
}

/** Whether `value` is an absolute http: or https: URL (the only links a mail may carry). */
export function isWebLink(value: string): boolean {
  return /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(value);
}

function invalid(message: string): never {
  throw new DomainError('MAIL_DATA_INVALID', message);
}
