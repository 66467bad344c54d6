import type { MailContent } from '../../../application/ports/mail-renderer.port.js';
import { isWebLink } from '../../../domain/mail/mail-template.js';

/** The product name every mail is signed with. */
const PRODUCT_NAME = 'Gatehouse';

/**
 * A mail as plain strings — no markup anywhere. Templates fill it from their data and the layout
 * alone writes HTML, escaping every string, so no template can forget to escape a value.
 */
export interface MailBody {
  subject: string;
  heading: string;
  paragraphs: string[];
  /** Label/value rows (when, where, which device). */
  details?: [label: string, value: string][];
  /** The one button; its link must be absolute http(s). */
  action?: { label: string; link: string };
  /** Small print under the button: why you got this, what to do if it was not you. */
  footnotes?: string[];
}

/** Escapes the five characters that matter in HTML text and double-quoted attributes. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Renders a body as subject, plain text and HTML. */
export function renderMail(body: MailBody): MailContent {
  if (body.action && !isWebLink(body.action.link)) throw new Error('The link is not an absolute http(s) URL');
  return { subject: oneLine(body.subject), text: text(body), html: html(body) };
}

/** Subjects are headers: no line breaks (header injection) and a sane length. */
function oneLine(value: string): string {
  const flat = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

function text(body: MailBody): string {
  const blocks = [body.heading, ...body.paragraphs];
  if (body.details?.length) blocks.push(body.details.map(([label, value]) => `${label}: ${value}`).join('\n'));
  if (body.action) blocks.push(`${body.action.label}:\n${body.action.link}`);
  blocks.push(...(body.footnotes ?? []), `— ${PRODUCT_NAME}`);
  return `${blocks.join('\n\n')}\n`;
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function html(body: MailBody): string {
  const e = escapeHtml;
  const parts = [
    `<h1 style="font-size:20px;margin:0 0 16px">${e(body.heading)}</h1>`,
    ...body.paragraphs.map((p) => `<p style="margin:0 0 16px;line-height:1.5">${e(p)}</p>`),
  ];
  if (body.details?.length) {
    const rows = body.details.map(([label, value]) => `<tr><td style="padding:2px 12px 2px 0;color:#555">${e(label)}</td><td style="padding:2px 0">${e(value)}</td></tr>`);
    parts.push(`<table role="presentation" style="margin:0 0 16px;border-collapse:collapse">${rows.join('')}</table>`);
  }
  if (body.action) {
    const link = e(body.action.link);
    parts.push(
      `<p style="margin:24px 0"><a href="${link}" style="background:#1f4fd1;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${e(body.action.label)}</a></p>`,
      `<p style="margin:0 0 16px;font-size:13px;color:#555">If the button does not work, copy this link into your browser:<br><span style="word-break:break-all">${link}</span></p>`,
    );
  }
  for (const note of body.footnotes ?? []) parts.push(`<p style="margin:0 0 12px;font-size:13px;color:#555">${e(note)}</p>`);
  parts.push(`<p style="margin:24px 0 0;font-size:13px;color:#555">— ${e(PRODUCT_NAME)}</p>`);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${e(oneLine(body.subject))}</title></head>`,
    `<body style="margin:0;padding:0;background:#f5f6f8"><div style="max-width:560px;margin:0 auto;padding:32px 24px;background:#fff;color:#111;${FONT}">`,
    ...parts,
    '</div></body></html>',
    '',
  ].join('\n');
}
