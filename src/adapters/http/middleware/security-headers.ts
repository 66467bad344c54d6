import type { Context } from 'koa';

/** Headers every response carries, whatever its route or outcome. */
const DEFENSIVE_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
];

/**
 * Defensive headers on every response, a CORS allowlist, and no caching of anything under
 * /api (responses there may carry tokens or personal data). The function it returns sets them
 * and answers true when it has answered the request itself (a CORS preflight from an allowed origin).
 */
export function securityHeaders(options: { allowedOrigins: readonly string[]; hsts: boolean }): (ctx: Context) => boolean {
  const allowed = new Set(options.allowedOrigins);
  const headers = options.hsts ? [...DEFENSIVE_HEADERS, ['Strict-Transport-Security', 'max-age=63072000; includeSubDomains'] as const] : DEFENSIVE_HEADERS;
  return (ctx) => {
    // Straight onto the Node response: koa's ctx.set allocates five arrays per call to normalize
    // its arguments, and these names and values are constants.
    for (const [name, value] of headers) ctx.res.setHeader(name, value);
    const origin = ctx.req.headers.origin;
    if (origin && allowed.has(origin)) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Allow-Credentials', 'true');
      ctx.vary('Origin');
      if (ctx.method === 'OPTIONS') {
        ctx.set('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE');
        ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Client, Idempotency-Key, X-Request-Id');
        ctx.set('Access-Control-Max-Age', '600');
        ctx.status = 204;
        return true;
      }
    }
    if (ctx.path.startsWith('/api/')) ctx.res.setHeader('Cache-Control', 'no-store');
    return false;
  };
}
