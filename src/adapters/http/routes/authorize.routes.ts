import type { HttpDeps } from '../http-deps.js';
import { defineRoute, type RouteDef } from '../route.js';
import { AuthorizeBody, AuthorizeResponse } from '../schemas/access.schemas.js';

/** The decision API for relying apps. */
export function authorizeRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/authorize', operationId: 'authorize', tag: 'Access', auth: 'bearer', body: AuthorizeBody,
      summary: "May the token's user do `action` (on `entity`) in the token's organization? One check answers `{allowed, level, reason}`, a batch `{results}` in order",
      responses: { 200: { description: 'Decisions', schema: AuthorizeResponse } },
      errors: ['TENANT_NOT_FOUND', 'ENTITY_NOT_FOUND', 'AUTH_REQUIRED'],
      handler: async ({ principal, body }) => {
        if ('checks' in body) return { status: 200, body: { results: await d.authorize.many(principal, body.checks) } };
        return { status: 200, body: await d.authorize.one(principal, body) };
      },
    }),
  ];
}
