import { expiryNote, greeting, type TemplateDefinition } from './template-definition.js';

/** Resets a forgotten password. Data: `link`; optional `name`, `expiresInMinutes`. */
export const passwordReset: TemplateDefinition = (data) => ({
  subject: 'Reset your Gatehouse password',
  heading: 'Reset your password',
  paragraphs: [greeting(data), 'Someone asked to reset the password of your Gatehouse account. If it was you, choose a new password:'],
  action: { label: 'Choose a new password', link: data['link']! },
  footnotes: [...expiryNote(data), 'If you did not ask for this, ignore this email: your password stays as it is.'],
});
