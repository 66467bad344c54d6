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
      : 'The account was never confirmed, so its password may have been chosen by someone who does not own this address. Signing in with the button below proves the address is yours: that password is removed and everyone signed in with it is signed out.',
  ],
  action: { label: 'Sign in', link: data['link']! },
  footnotes: [...expiryNote(data), 'Do not forward this email: the link signs in whoever opens it. If you did not try to create an account, you can ignore it.'],
});
