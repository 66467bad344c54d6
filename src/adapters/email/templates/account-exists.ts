import { expiryNote, greeting, type TemplateDefinition } from './template-definition.js';

/**
 * Someone registered an address that already has an account. Data: `link` (a sign-in link), `confirmed`
 * (`yes` when the owner once proved the address, `no` otherwise); optional `name`, `expiresInMinutes`.
 */
export const accountExists: TemplateDefinition = (data) => ({
  subject: 'You already have a Gatehouse account',
  heading: 'This address already has an account',
  paragraphs: [
    greeting(data),
    'Someone, perhaps you, just tried to create a Gatehouse account with this address. It already has one, and nothing about it changed.',
    data['confirmed'] === 'yes'
      ? 'If it was you, sign in with the button below, or reset your password if you have forgotten it.'
      : 'The account was never confirmed. If you did not create it, someone else may have: signing in with the button below proves the address is yours, removes any password they chose and signs them out.',
  ],
  action: { label: 'Sign in', link: data['link']! },
  footnotes: [...expiryNote(data), 'Do not forward this email: the link signs in whoever opens it. If you did not try to create an account, you can ignore it.'],
});
