import type { Context } from 'koa';
import type { AuthOutcome } from '../../application/services/auth-outcome.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { RouteResult } from './route.js';

export interface RefreshTransportOptions {
  secureCookie: boolean;
  /** Origins allowed to use the refresh cookie (the public URL's origin and CORS_ORIGINS). */
  allowedOrigins: readonly string[];
  maxAgeSeconds: number;
}

/**
 * How refresh tokens travel. Browsers: an httpOnly, SameSite=Strict cookie scoped
 * to /api/v1/auth (`__Secure-` prefixed when secure). API clients (`X-Client: api`):
 * also the response body. A request that authenticates with the cookie must carry an
 * allowed Origin: SameSite is the first line against CSRF, the Origin check the second.
 */
export class RefreshTransport {
  readonly cookieName: string;

  constructor(private readonly options: RefreshTransportOptions) {
    this.cookieName = options.secureCookie ? '__Secure-gatehouse_refresh' : 'gatehouse_refresh';
  }

  /** The presented refresh token: body first, else the cookie (Origin-checked). */
  read(ctx: Context, fromBody: string | undefined): string | null {
    if (fromBody) return fromBody;
    const cookie = readCookie(ctx.get('cookie'), this.cookieName);
    if (!cookie) return null;
    const origin = ctx.get('origin');
    if (!origin || !this.options.allowedOrigins.includes(origin)) {
      throw new DomainError('ORIGIN_NOT_ALLOWED', 'Cookie-authenticated requests must come from an allowed origin');
    }
    return cookie;
  }

  /** Writes an auth outcome: cookie for everyone, token in the body only for API clients. */
  respond(ctx: Context, outcome: AuthOutcome, status = 200): RouteResult {
    if (outcome.status !== 'authenticated') return { status, body: outcome };
    const { refreshToken, ...rest } = outcome;
    // No new refresh token: the client keeps the one it has (cookie or body), which now refreshes this session.
    if (refreshToken === null) return { status, body: rest };
    this.setCookie(ctx, refreshToken, this.options.maxAgeSeconds);
    const apiClient = ctx.get('x-client').toLowerCase() === 'api';
    return { status, body: apiClient ? { ...rest, refreshToken } : rest };
  }

  clear(ctx: Context): void {
    this.setCookie(ctx, '', 0);
  }

  private setCookie(ctx: Context, value: string, maxAge: number): void {
    const attributes = [`${this.cookieName}=${value}`, 'Path=/api/v1/auth', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAge}`];
    if (this.options.secureCookie) attributes.push('Secure');
    ctx.append('Set-Cookie', attributes.join('; '));
  }
}

function readCookie(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
