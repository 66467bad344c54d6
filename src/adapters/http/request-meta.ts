import type { Context } from 'koa';
import type { RequestMeta } from '../../application/services/request-meta.js';

/**
 * The client address. `X-Forwarded-For` is honoured only when the direct peer is a
 * configured proxy, and then walked from the right, skipping our own proxies, so a
 * client cannot choose its own address by sending the header.
 */
export function clientIp(ctx: Context, trustedProxies: readonly string[]): string | null {
  const peer = normalize(ctx.req.socket.remoteAddress ?? null);
  if (!peer || !trustedProxies.includes(peer)) return peer;
  const header = ctx.get('x-forwarded-for');
  if (!header) return peer;
  const hops = header.split(',').map((h) => normalize(h.trim())).filter((h): h is string => Boolean(h));
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trustedProxies.includes(hops[i]!)) return hops[i]!;
  }
  return hops[0] ?? peer;
}

export function requestMeta(ctx: Context, trustedProxies: readonly string[]): RequestMeta {
  return { ip: clientIp(ctx, trustedProxies), userAgent: ctx.get('user-agent') || null };
}

function normalize(ip: string | null): string | null {
  if (!ip) return null;
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
