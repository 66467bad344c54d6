import type { Context, Next } from 'koa';

/**
 * Defensive headers on every response, a CORS allowlist, and no caching of
 * anything under /api (responses there may carry tokens or personal data).
 */
export function securityHeaders(options: { allowedOrigins: readonly string[]; hsts: boolean }) {
  const allowed = new Set(options.allowedOrigins);
  return async (ctx: Context, next: Next): Promise<void> => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    if (options.hsts) ctx.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    const origin = ctx.get('origin');
    if (origin && allowed.has(origin)) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Allow-Credentials', 'true');
      ctx.vary('Origin');
      if (ctx.method === 'OPTIONS') {
        ctx.set('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE');
        ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Client, Idempotency-Key, X-Request-Id');
        ctx.set('Access-Control-Max-Age', '600');
        ctx.status = 204;
        return;
      }
    }
    if (ctx.path.startsWith('/api/')) ctx.set('Cache-Control', 'no-store');
    await next();
  };
}
