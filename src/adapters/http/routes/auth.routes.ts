import { z } from 'zod';
import type { HttpDeps } from '../http-deps.js';
import { present } from '../presenters.js';
import { defineRoute, type RouteDef } from '../route.js';
import {
  Accepted,
  AuthOutcome,
  Authenticated,
  ExchangeBody,
  IntermediateTokenBody,
  LoginBody,
  RefreshBody,
  RegisterBody,
  SessionView,
  SwitchOrganizationBody,
  DiscoveredOrganization,
} from '../schemas/auth.schemas.js';
import { DomainError } from '../../../domain/shared/domain-error.js';

const tag = 'Auth';

/** Sign-up, sign-in, token refresh, sign-out and session management. */
export function authRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/auth/register', operationId: 'register', tag, auth: 'none', body: RegisterBody,
      summary: 'Create an account (same answer whether or not the email exists; a taken address is mailed a sign-in link instead)',
      responses: { 202: { description: 'Accepted', schema: Accepted } },
      errors: ['VALIDATION_FAILED', 'PASSWORD_POLICY_VIOLATION', 'RATE_LIMITED'],
      handler: async ({ body, meta }) => {
        await d.register.execute(body, meta);
        return { status: 202, body: { status: 'accepted' } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/login', operationId: 'login', tag, auth: 'none', body: LoginBody,
      summary: 'Sign in with email and password',
      responses: { 200: { description: 'Authentication outcome', schema: AuthOutcome } },
      errors: ['INVALID_CREDENTIALS', 'TENANT_NOT_FOUND', 'TENANT_ARCHIVED', 'TENANT_SUSPENDED', 'SERVICE_OVERLOADED', 'RATE_LIMITED'],
      handler: async ({ body, meta, ctx }) => d.refreshTransport.respond(ctx, await d.login.execute(body, meta)),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/refresh', operationId: 'refresh', tag, auth: 'none', body: RefreshBody,
      summary: 'Rotate the refresh token (cookie or body); reuse of an old token revokes its family',
      responses: { 200: { description: 'New tokens', schema: Authenticated } },
      errors: ['REFRESH_TOKEN_INVALID', 'REFRESH_TOKEN_REUSED', 'ORIGIN_NOT_ALLOWED', 'TENANT_ARCHIVED'],
      handler: async ({ body, meta, ctx }) => {
        const token = d.refreshTransport.read(ctx, body.refreshToken);
        if (!token) throw new DomainError('REFRESH_TOKEN_INVALID', 'Send the refresh token in the body or cookie');
        try {
          return d.refreshTransport.respond(ctx, await d.refresh.execute(token, meta));
        } catch (error) {
          d.refreshTransport.clear(ctx);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/logout', operationId: 'logout', tag, auth: 'none', body: RefreshBody,
      summary: 'End this session (idempotent)',
      responses: { 204: { description: 'Signed out' } },
      errors: ['ORIGIN_NOT_ALLOWED'],
      handler: async ({ body, meta, ctx }) => {
        const token = d.refreshTransport.read(ctx, body.refreshToken);
        if (token) await d.logout.byRefreshToken(token, meta);
        d.refreshTransport.clear(ctx);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/logout-everywhere', operationId: 'logoutEverywhere', tag, auth: 'bearer',
      summary: "End all of the caller's sessions",
      responses: { 200: { description: 'Sessions ended', schema: z.object({ revoked: z.number().int() }) } },
      handler: async ({ principal, meta, ctx }) => {
        const revoked = await d.logout.everywhere(principal, meta);
        d.refreshTransport.clear(ctx);
        return { status: 200, body: { revoked } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/auth/sessions', operationId: 'listSessions', tag, auth: 'bearer',
      summary: "List the caller's live sessions",
      responses: { 200: { description: 'Sessions', schema: z.object({ sessions: z.array(SessionView) }) } },
      handler: async ({ principal }) => ({
        status: 200,
        body: { sessions: (await d.listSessions.execute(principal)).map((s) => present.session(s.session, s.current)) },
      }),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/auth/sessions/:id', operationId: 'revokeSession', tag, auth: 'bearer',
      params: z.object({ id: z.uuid() }),
      summary: 'Revoke one of your own sessions',
      responses: { 204: { description: 'Revoked' } },
      errors: ['SESSION_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => {
        await d.logout.one(principal, params.id, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/switch-organization', operationId: 'switchOrganization', tag, auth: 'bearer', body: SwitchOrganizationBody,
      summary: 'An access token for another of your organizations: the session moves there (same refresh token, same absolute end) and the old access token ends',
      responses: { 200: { description: 'Authentication outcome', schema: AuthOutcome } },
      errors: ['TENANT_NOT_FOUND', 'TENANT_ARCHIVED'],
      handler: async ({ principal, body, meta, ctx }) => d.refreshTransport.respond(ctx, await d.selectOrganization.switchTo(principal, body.organization, meta)),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/discovery/organizations', operationId: 'discoveryOrganizations', tag, auth: 'none', body: IntermediateTokenBody,
      summary: 'Organizations an intermediate token may enter',
      responses: { 200: { description: 'Organizations', schema: z.object({ organizations: z.array(DiscoveredOrganization) }) } },
      errors: ['INTERMEDIATE_TOKEN_INVALID'],
      handler: async ({ body }) => ({ status: 200, body: { organizations: await d.selectOrganization.list(body.intermediateToken) } }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/discovery/exchange', operationId: 'discoveryExchange', tag, auth: 'none', body: ExchangeBody,
      summary: 'Spend an intermediate token for a session in one organization',
      responses: { 200: { description: 'Authentication outcome', schema: AuthOutcome } },
      errors: ['INTERMEDIATE_TOKEN_INVALID', 'TENANT_NOT_FOUND', 'TENANT_ARCHIVED'],
      handler: async ({ body, meta, ctx }) => d.refreshTransport.respond(ctx, await d.selectOrganization.exchange(body.intermediateToken, body.organization, meta)),
    }),
  ];
}
