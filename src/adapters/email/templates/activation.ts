import { expiryNote, greeting, type TemplateDefinition } from './template-definition.js';

/** Activates an account created for someone (after a purchase, by an admin). Data: `link`; optional `name`, `organizationName`, `expiresInMinutes`. */
export const activation: TemplateDefinition = (data) => ({
  subject: 'Activate your Gatehouse account',
  heading: 'Activate your account',
  paragraphs: [
    greeting(data),
    data['organizationName']
      ? `Your account for ${data['organizationName']} is ready. Choose a password to activate it.`
      : 'Your Gatehouse account is ready. Choose a password to activate it.',
  ],
  action: { label: 'Activate account', link: data['link']! },
  footnotes: [...expiryNote(data), 'If you were not expecting this email, you can ignore it: nothing happens until the link is used.'],
});
