import { isIP } from 'node:net';
import type { Context } from 'koa';
import type { RequestMeta } from '../../application/services/request-meta.js';

/** Longest textual IP address (IPv6 with an embedded IPv4); a hop past it is no plain address. */
const MAX_IP_LENGTH = 45;

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
    const hop = hops[i]!;
    if (trustedProxies.includes(hop)) continue;
    // Only a plain IP is an address: anything else (a name, a port, a zone id, junk) would reach
    // sessions, audit rows, mails and rate-limit keys as text, so the proxy's own address stands in.
    return isAddress(hop) ? hop : peer;
  }
  return hops[0] !== undefined && isAddress(hops[0]) ? hops[0] : peer;
}

export function requestMeta(ctx: Context, trustedProxies: readonly string[]): RequestMeta {
  return { ip: clientIp(ctx, trustedProxies), userAgent: ctx.get('user-agent') || null };
}

function isAddress(hop: string): boolean {
  return hop.length <= MAX_IP_LENGTH && !hop.includes('%') && isIP(hop) !== 0;
}

function normalize(ip: string | null): string | null {
  if (!ip) return null;
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
