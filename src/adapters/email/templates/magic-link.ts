import { expiryNote, greeting, type TemplateDefinition } from './template-definition.js';

/** Signs in with a link. Data: `link`; optional `name`, `expiresInMinutes`. */
export const magicLink: TemplateDefinition = (data) => ({
  subject: 'Your Gatehouse sign-in link',
  heading: 'Sign in to Gatehouse',
  paragraphs: [greeting(data), 'Use the button below to sign in.'],
  action: { label: 'Sign in', link: data['link']! },
  footnotes: [...expiryNote(data), 'Do not forward this email: the link signs in whoever opens it. If you did not try to sign in, you can ignore it.'],
});
