import { z } from 'zod';
import { AuthOutcome } from './auth.schemas.js';
import { Password } from './common.schemas.js';

/** An mfaToken as issued (43 base64url characters); bounded so junk never reaches the store. */
const MfaToken = z.string().min(1).max(200);
/** A TOTP code as typed; the use case normalizes it (spaces, dashes) and refuses anything else as MFA_CODE_INVALID. */
const TotpCode = z.string().min(1).max(32);
const RecoveryCode = z.string().min(1).max(64);

export const MfaStatus = z
  .object({
    totp: z.object({ enabled: z.boolean() }),
    recoveryCodes: z.object({ remaining: z.number().int() }),
    organization: z.object({ id: z.string(), slug: z.string(), mfaRequired: z.boolean() }).nullable(),
  })
  .meta({ id: 'MfaStatus' });

export const TotpSetup = z
  .object({
    secret: z.string().meta({ description: 'Base32 secret, for manual entry' }),
    uri: z.string().meta({ description: 'otpauth:// URI' }),
    qrCodeDataUrl: z.string().meta({ description: 'The URI as a PNG QR code (data: URL)' }),
  })
  .meta({ id: 'TotpSetup' });

export const TotpSetupBody = z
  .object({ mfaToken: MfaToken.optional().meta({ description: 'Instead of a Bearer token: the mfaToken of an enrolment challenge' }) })
  .meta({ id: 'TotpSetupRequest' });

export const TotpEnableBody = z
  .object({ code: TotpCode, mfaToken: MfaToken.optional().meta({ description: 'Instead of a Bearer token: the mfaToken of an enrolment challenge' }) })
  .meta({ id: 'TotpEnableRequest' });

export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()).meta({ description: '10 codes, shown once' }) }).meta({ id: 'RecoveryCodes' });

export const TotpEnableResult = z
  .union([RecoveryCodes, z.intersection(RecoveryCodes, AuthOutcome).meta({ description: 'Enabled with an mfaToken: the codes and the sign-in outcome' })])
  .meta({ id: 'TotpEnableResult' });

/** Re-authentication: the current password, or a code from the authenticator app. */
export const ReauthenticationBody = z
  .union([z.object({ password: Password }).strict(), z.object({ code: TotpCode }).strict()])
  .meta({ id: 'Reauthentication' });

export const MfaVerifyBody = z
  .union([z.object({ mfaToken: MfaToken, code: TotpCode }).strict(), z.object({ mfaToken: MfaToken, recoveryCode: RecoveryCode }).strict()])
  .meta({ id: 'MfaVerifyRequest' });

export const TotpDisabled = z.object({ revokedSessions: z.number().int().meta({ description: "The user's other sessions that ended" }) }).meta({ id: 'TotpDisabled' });
