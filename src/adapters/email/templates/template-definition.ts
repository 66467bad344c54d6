import type { MailBody } from './mail-layout.js';

/** One template: turns its data (already checked for the required fields) into a body. */
export type TemplateDefinition = (data: Readonly<Record<string, string>>) => MailBody;

/** "Hi Ada," or "Hi,". */
export function greeting(data: Readonly<Record<string, string>>): string {
  return data['name'] ? `Hi ${data['name']},` : 'Hi,';
}

/** "This link expires in 1 hour and works once." when the caller passed `expiresInMinutes`. */
export function expiryNote(data: Readonly<Record<string, string>>): string[] {
  const minutes = Number(data['expiresInMinutes']);
  if (!Number.isInteger(minutes) || minutes <= 0) return [];
  const [amount, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return [`This link expires in ${amount} ${unit}${amount === 1 ? '' : 's'} and works once.`];
}

/** An ISO instant as "2030-01-01 09:30 UTC"; anything else as it came. */
export function formatInstant(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$/.exec(value);
  return match ? `${match[1]} ${match[2]} UTC` : value;
}
