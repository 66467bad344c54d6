import type { MailTemplate } from '../../../domain/mail/mail-template.js';
import { accountExists } from './account-exists.js';
import { activation } from './activation.js';
import { invitation } from './invitation.js';
import { magicLink } from './magic-link.js';
import { mfaChanged } from './mfa-changed.js';
import { newSignIn } from './new-sign-in.js';
import { passwordReset } from './password-reset.js';
import { paymentFailed } from './payment-failed.js';
import type { TemplateDefinition } from './template-definition.js';
import { verification } from './verification.js';

/** Every template by name; a template added to MailTemplate without an entry here fails to compile. */
export const TEMPLATES: Readonly<Record<MailTemplate, TemplateDefinition>> = {
  verification,
  activation,
  invitation,
  password_reset: passwordReset,
  magic_link: magicLink,
  account_exists: accountExists,
  mfa_changed: mfaChanged,
  new_sign_in: newSignIn,
  payment_failed: paymentFailed,
};
