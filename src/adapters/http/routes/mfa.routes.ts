import type { Context } from 'koa';
import type { Principal } from '../../../application/services/request-meta.js';
import type { HttpDeps } from '../http-deps.js';
import { bearerOf } from '../mount-routes.js';
import { defineRoute, type RouteDef } from '../route.js';
import { AuthOutcome } from '../schemas/auth.schemas.js';
import { MfaStatus, MfaVerifyBody, ReauthenticationBody, RecoveryCodes, TotpDisabled, TotpEnableBody, TotpEnableResult, TotpSetup, TotpSetupBody } from '../schemas/mfa.schemas.js';

const tag = 'MFA';

/**
 * TOTP enrolment, second factors management and the second step of sign-in (docs/flows/mfa.md).
 * Setup and enable take a Bearer token, or instead the `mfaToken` of an enrolment challenge in
 * the body (an organization requires MFA and the person has none yet): those two are declared
 * `auth: 'none'` and authenticate the Bearer token themselves when no mfaToken is sent.
 */
export function mfaRoutes(d: HttpDeps): RouteDef[] {
  const caller = (ctx: Context): Promise<Principal> => d.authenticate.execute(bearerOf(ctx));
  return [
    defineRoute({
      method: 'get', path: '/api/v1/auth/mfa', operationId: 'getMfa', tag, auth: 'bearer',
      summary: "The caller's second factors and the current organization's MFA policy",
      responses: { 200: { description: 'Factors and policy', schema: MfaStatus } },
      handler: async ({ principal }) => ({ status: 200, body: await d.manageMfa.status(principal) }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/mfa/totp/setup', operationId: 'setupTotp', tag, auth: 'none', body: TotpSetupBody,
      summary: 'Start TOTP enrolment (Bearer, or the mfaToken of an enrolment challenge): a new secret, nothing active until enabled',
      responses: { 200: { description: 'Secret, otpauth URI and QR code', schema: TotpSetup } },
      errors: ['AUTH_REQUIRED', 'AUTH_TOKEN_INVALID', 'AUTH_SESSION_REVOKED', 'MFA_CHALLENGE_INVALID', 'MFA_ALREADY_ENABLED'],
      handler: async ({ body, ctx }) => ({
        status: 200,
        body: body.mfaToken !== undefined ? await d.enrolTotp.setupWithChallenge(body.mfaToken) : await d.enrolTotp.setup(await caller(ctx)),
      }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/mfa/totp/enable', operationId: 'enableTotp', tag, auth: 'none', body: TotpEnableBody,
      summary: 'Enable TOTP with a code from the app: 10 recovery codes, shown once (with an mfaToken, also the sign-in outcome)',
      responses: { 200: { description: 'Recovery codes (and, with an mfaToken, the authentication outcome)', schema: TotpEnableResult } },
      errors: ['AUTH_REQUIRED', 'AUTH_TOKEN_INVALID', 'AUTH_SESSION_REVOKED', 'MFA_CODE_INVALID', 'MFA_CHALLENGE_INVALID', 'MFA_ALREADY_ENABLED', 'TENANT_NOT_FOUND'],
      handler: async ({ body, meta, ctx }) => {
        if (body.mfaToken === undefined) return { status: 200, body: await d.enrolTotp.enable(await caller(ctx), body.code, meta) };
        const { recoveryCodes, outcome } = await d.enrolTotp.enableWithChallenge(body.mfaToken, body.code, meta);
        const written = d.refreshTransport.respond(ctx, outcome);
        return { ...written, body: { ...(written.body as object), recoveryCodes } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/mfa/totp/disable', operationId: 'disableTotp', tag, auth: 'bearer', body: ReauthenticationBody,
      summary: "Turn TOTP off (re-authenticate with {password} or {code}); the user's other sessions end",
      responses: { 200: { description: 'Disabled', schema: TotpDisabled } },
      errors: ['REAUTHENTICATION_FAILED', 'MFA_NOT_ENABLED'],
      handler: async ({ principal, body, meta }) => ({ status: 200, body: await d.manageMfa.disable(principal, body, meta) }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/mfa/recovery-codes', operationId: 'regenerateRecoveryCodes', tag, auth: 'bearer', body: ReauthenticationBody,
      summary: 'Replace all recovery codes (re-authenticate with {password} or {code}); the new ones are shown once',
      responses: { 200: { description: 'New recovery codes', schema: RecoveryCodes } },
      errors: ['REAUTHENTICATION_FAILED', 'MFA_NOT_ENABLED'],
      handler: async ({ principal, body, meta }) => ({ status: 200, body: await d.manageMfa.regenerateRecoveryCodes(principal, body, meta) }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/mfa/verify', operationId: 'verifyMfa', tag, auth: 'none', body: MfaVerifyBody,
      summary: 'Second step of sign-in: {mfaToken, code} or {mfaToken, recoveryCode}; five wrong codes end the challenge',
      responses: { 200: { description: 'Authentication outcome', schema: AuthOutcome } },
      errors: ['MFA_CODE_INVALID', 'MFA_CHALLENGE_INVALID', 'TENANT_NOT_FOUND', 'TENANT_ARCHIVED', 'TENANT_SUSPENDED'],
      handler: async ({ body, meta, ctx }) => {
        const answer = 'code' in body ? { code: body.code } : { recoveryCode: body.recoveryCode };
        return d.refreshTransport.respond(ctx, await d.verifyMfa.execute(body.mfaToken, answer, meta));
      },
    }),
  ];
}
