import type { HttpDeps } from '../http-deps.js';
import { defineRoute, type RouteDef } from '../route.js';
import { Accepted, AuthOutcome, OrgSelectionRequired } from '../schemas/auth.schemas.js';
import {
  ActivateBody,
  ActivationPreviewView,
  ActivationQuery,
  ChangePasswordBody,
  CreateOrganizationFromDiscoveryBody,
  EmailBody,
  MagicLinkBody,
  ResetBody,
  TokenBody,
} from '../schemas/flow.schemas.js';

const tag = 'Auth';
const accepted = { status: 202, body: { status: 'accepted' } } as const;

/** Email verification, activation, password reset and change, and magic-link discovery. */
export function identityFlowRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/auth/verify-email', operationId: 'verifyEmail', tag, auth: 'none', body: TokenBody,
      summary: 'Spend an email-verification link; signs in',
      responses: { 200: { description: 'Authentication outcome', schema: AuthOutcome } },
      errors: ['VERIFICATION_TOKEN_INVALID'],
      handler: async ({ body, meta, ctx }) => d.refreshTransport.respond(ctx, await d.flows.verifyEmail(body.token, meta)),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/auth/activation', operationId: 'previewActivation', tag, auth: 'none', query: ActivationQuery,
      summary: 'Check an activation link without using it',
      responses: { 200: { description: 'Pending activation', schema: ActivationPreviewView } },
      errors: ['ACTIVATION_TOKEN_INVALID'],
      handler: async ({ query }) => ({ status: 200, body: { valid: true, ...(await d.flows.previewActivation(query.token)) } }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/activation', operationId: 'activate', tag, auth: 'none', body: ActivateBody,
      summary: 'Set password and name from an activation link (72 h); signs in',
      responses: { 200: { description: 'Authentication outcome', schema: AuthOutcome } },
      errors: ['ACTIVATION_TOKEN_INVALID', 'PASSWORD_POLICY_VIOLATION'],
      handler: async ({ body, meta, ctx }) => d.refreshTransport.respond(ctx, await d.flows.activate(body, meta)),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/activation/resend', operationId: 'resendActivation', tag, auth: 'none', body: EmailBody,
      summary: 'Send the pending activation again (same answer for every email)',
      responses: { 202: { description: 'Accepted', schema: Accepted } },
      errors: ['RATE_LIMITED'],
      handler: async ({ body, meta }) => {
        await d.flows.resendActivation(body.email, meta);
        return accepted;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/password/forgot', operationId: 'forgotPassword', tag, auth: 'none', body: EmailBody,
      summary: 'Send a password-reset link (same answer for every email)',
      responses: { 202: { description: 'Accepted', schema: Accepted } },
      errors: ['RATE_LIMITED'],
      handler: async ({ body, meta }) => {
        await d.flows.forgotPassword(body.email, meta);
        return accepted;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/password/reset', operationId: 'resetPassword', tag, auth: 'none', body: ResetBody,
      summary: 'Set a new password from a reset link (1 h); ends every session; sign in afterwards',
      responses: { 204: { description: 'Password changed' } },
      errors: ['RESET_TOKEN_INVALID', 'PASSWORD_POLICY_VIOLATION'],
      handler: async ({ body, meta }) => {
        await d.flows.resetPassword(body, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/password/change', operationId: 'changePassword', tag, auth: 'bearer', body: ChangePasswordBody,
      summary: 'Change your password; your other sessions end',
      responses: { 204: { description: 'Password changed' } },
      errors: ['INVALID_CREDENTIALS', 'PASSWORD_POLICY_VIOLATION'],
      handler: async ({ principal, body, meta }) => {
        await d.flows.changePassword(principal, body, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/discovery/magic-link', operationId: 'sendMagicLink', tag, auth: 'none', body: MagicLinkBody,
      summary: 'Email a sign-in link (same answer for every email)',
      responses: { 202: { description: 'Accepted', schema: Accepted } },
      errors: ['REDIRECT_URL_NOT_ALLOWED', 'RATE_LIMITED'],
      handler: async ({ body, meta }) => {
        await d.discovery.sendLink(body, meta);
        return accepted;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/discovery/authenticate', operationId: 'authenticateMagicLink', tag, auth: 'none', body: TokenBody,
      summary: 'Spend a magic link: the organizations you may enter and an intermediate token (10 min)',
      responses: { 200: { description: 'Pick an organization', schema: OrgSelectionRequired } },
      errors: ['MAGIC_LINK_INVALID'],
      handler: async ({ body, meta }) => ({ status: 200, body: await d.discovery.authenticate(body.token, meta) }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/discovery/create-organization', operationId: 'discoveryCreateOrganization', tag, auth: 'none', body: CreateOrganizationFromDiscoveryBody,
      summary: 'Create an organization with the intermediate token and sign in to it',
      responses: { 200: { description: 'Authentication outcome', schema: AuthOutcome } },
      errors: ['INTERMEDIATE_TOKEN_INVALID', 'TENANT_SLUG_TAKEN', 'TENANT_SLUG_INVALID'],
      handler: async ({ body, meta, ctx }) => d.refreshTransport.respond(ctx, await d.discovery.createOrganization(body, meta)),
    }),
  ];
}
