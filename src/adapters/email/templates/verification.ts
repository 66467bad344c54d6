import { expiryNote, greeting, type TemplateDefinition } from './template-definition.js';

/** Confirms an email address. Data: `link`; optional `name`, `expiresInMinutes`. */
export const verification: TemplateDefinition = (data) => ({
  subject: 'Confirm your email address for Gatehouse',
  heading: 'Confirm your email address',
  paragraphs: [greeting(data), 'Please confirm that this address is yours, so that Gatehouse can reach you about your account.'],
  action: { label: 'Confirm email address', link: data['link']! },
  footnotes: [...expiryNote(data), 'If you did not create a Gatehouse account, you can ignore this email.'],
});
