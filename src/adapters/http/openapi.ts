import { createDocument } from 'zod-openapi';
import { z } from 'zod';
import { ERROR_STATUS } from './error-status.js';
import type { ApiErrorCode } from './http-error.js';
import type { RouteDef } from './route.js';
import { ErrorBody } from './schemas/common.schemas.js';

/**
 * What resolving `:org` for a caller can answer (OrgContext.resolve): every authenticated route under an
 * organization may answer these besides its own.
 */
const ORG_SCOPE_ERRORS: readonly ApiErrorCode[] = ['TENANT_NOT_FOUND', 'TENANT_ARCHIVED', 'TENANT_SUSPENDED', 'TENANT_NOT_ACTIVE', 'MFA_REQUIRED', 'AUTH_METHOD_NOT_ALLOWED'];

/**
 * The OpenAPI 3.1 document, generated from the same route definitions and zod
 * schemas the router validates with, so the two cannot drift apart.
 */
export function buildOpenApi(routes: readonly RouteDef[], info: { version: string; serverUrl: string }): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      responses[status] = r.schema ? { description: r.description, content: { 'application/json': { schema: r.schema } } } : { description: r.description };
    }
    const errors = [...new Set([...(route.errors ?? []), ...(route.auth === 'bearer' && route.path.includes('/:org') ? ORG_SCOPE_ERRORS : [])])];
    const statuses = new Set<number>([400, 500, ...(route.auth === 'bearer' ? [401] : []), ...errors.map((c) => ERROR_STATUS[c].status)]);
    for (const status of statuses) {
      const codes = errors.filter((c) => ERROR_STATUS[c].status === status);
      responses[String(status)] ??= {
        description: codes.length > 0 ? `Error: ${codes.join(', ')}` : status === 400 ? 'Error: VALIDATION_FAILED, INVALID_JSON' : status === 401 ? 'Error: AUTH_REQUIRED, AUTH_TOKEN_INVALID, AUTH_SESSION_REVOKED' : 'Error: INTERNAL',
        content: { 'application/json': { schema: ErrorBody } },
        // The error handler sets it from the refusal's `details.retryAfter`.
        ...(codes.some((c) => ERROR_STATUS[c].retryAfter) ? { headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } } } : {}),
      };
    }
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      ...(route.auth === 'bearer' ? { security: [{ bearer: [] }] } : {}),
      ...(route.params || route.query ? { requestParams: { ...(route.params ? { path: route.params } : {}), ...(route.query ? { query: route.query } : {}) } } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
      responses,
    };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Gatehouse API', version: info.version, description: 'Multi-tenant identity, access and billing. Errors are `{code, message, requestId}`.' },
    servers: [{ url: info.serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths: paths as never,
  });
}

/** A self-contained reference page that renders the document without external scripts. */
export function renderDocsPage(doc: object): string {
  const spec = doc as { paths: Record<string, Record<string, { summary?: string; operationId?: string; tags?: string[]; security?: unknown }>> };
  const rows = Object.entries(spec.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(
        ([method, op]) =>
          `<tr><td class="m ${method}">${method.toUpperCase()}</td><td><code>${escape(path)}</code></td><td>${escape(op.summary ?? '')}</td><td>${op.security ? 'Bearer' : '–'}</td></tr>`,
      ),
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem}td{padding:.3rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}
.m{font-weight:600;font-family:monospace}.get{color:#0a7}.post{color:#06c}.patch{color:#a60}.delete{color:#c22}code{font-size:14px}</style></head>
<body><h1>Gatehouse API reference</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are <code>{code, message, requestId}</code>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Purpose</th><th>Auth</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const HealthBody = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });
