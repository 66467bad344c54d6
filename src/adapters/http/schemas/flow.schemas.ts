import { z } from 'zod';
import { MAX_MAIL_FIELD_LENGTH } from '../../../domain/mail/mail-template.js';
import { Email, Password } from './common.schemas.js';

const LinkToken = z.string().min(20).max(200);

export const TokenBody = z.object({ token: LinkToken }).meta({ id: 'TokenRequest' });
export const EmailBody = z.object({ email: Email }).meta({ id: 'EmailRequest' });
export const ActivationQuery = z.object({ token: LinkToken });
export const ActivationPreviewView = z
  .object({ valid: z.literal(true), email: z.string(), organization: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable() })
  .meta({ id: 'ActivationPreview' });
export const ActivateBody = z.object({ token: LinkToken, password: Password, name: z.string().trim().min(1).max(200) }).meta({ id: 'ActivateRequest' });
export const ResetBody = z.object({ token: LinkToken, password: Password }).meta({ id: 'ResetPasswordRequest' });
export const ChangePasswordBody = z.object({ currentPassword: Password, newPassword: Password }).meta({ id: 'ChangePasswordRequest' });
/** Stands in for a link's token (43 characters today) with room to spare. */
const TOKEN_ROOM = 'x'.repeat(64);

/**
 * Whether the link mailed for `url` fits a mail field: the URL with `token` set in its query the way
 * links are built, which re-serializes the query (`!` becomes `%21`) and percent-encodes non-ASCII,
 * so neither the raw length nor `href` alone bounds it. Too long would be MAIL_DATA_INVALID, a 500.
 */
function fitsInMail(url: string): boolean {
  try {
    const link = new URL(url);
    link.searchParams.set('token', TOKEN_ROOM);
    return link.href.length <= MAX_MAIL_FIELD_LENGTH;
  } catch {
    return true; // not a URL at all: z.url() reports that
  }
}

const RedirectUrl = z
  .url()
  .max(2000)
  .refine(fitsInMail, 'is too long to mail as a sign-in link once encoded')
  .meta({ description: `Where the mailed link leads, on an allowed origin; with its token added and percent-encoded it must stay within ${MAX_MAIL_FIELD_LENGTH} characters` });

export const MagicLinkBody = z.object({ email: Email, redirectUrl: RedirectUrl.optional() }).meta({ id: 'MagicLinkRequest' });
export const CreateOrganizationFromDiscoveryBody = z
  .object({ intermediateToken: z.string().min(1).max(200), name: z.string().trim().min(1).max(100), slug: z.string().min(2).max(63).optional() })
  .meta({ id: 'DiscoveryCreateOrganizationRequest' });
