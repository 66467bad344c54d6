import { z } from 'zod';
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
export const MagicLinkBody = z.object({ email: Email, redirectUrl: z.url().max(2000).optional() }).meta({ id: 'MagicLinkRequest' });
export const CreateOrganizationFromDiscoveryBody = z
  .object({ intermediateToken: z.string().min(1).max(200), name: z.string().trim().min(1).max(100), slug: z.string().min(2).max(63).optional() })
  .meta({ id: 'DiscoveryCreateOrganizationRequest' });
