import { z } from 'zod';
import type { HttpDeps } from '../http-deps.js';
import { HealthBody } from '../openapi.js';
import { defineRoute, type RouteDef } from '../route.js';

const tag = 'System';

/** Liveness, readiness and the public signing keys. */
export function systemRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/health', operationId: 'health', tag, auth: 'none',
      summary: 'Liveness: the process answers',
      responses: { 200: { description: 'Alive', schema: HealthBody } },
      handler: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'get', path: '/ready', operationId: 'ready', tag, auth: 'none',
      summary: 'Readiness: database reachable and migrations applied',
      responses: { 200: { description: 'Ready', schema: z.object({ ready: z.boolean(), checks: z.record(z.string(), z.boolean()) }) }, 503: { description: 'Not ready' } },
      handler: async () => {
        const result = await d.ready();
        return { status: result.ready ? 200 : 503, body: result };
      },
    }),
    defineRoute({
      method: 'get', path: '/.well-known/jwks.json', operationId: 'jwks', tag, auth: 'none',
      summary: 'Public keys that verify Gatehouse access tokens (current and previous)',
      responses: { 200: { description: 'JWK set', schema: z.object({ keys: z.array(z.record(z.string(), z.string())) }) } },
      handler: async () => ({ status: 200, body: await d.tokens.jwks(), headers: { 'Cache-Control': 'public, max-age=300' } }),
    }),
  ];
}
