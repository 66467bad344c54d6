import { normalizeEmail } from '../../domain/tenancy/email.js';
import type { RequestMeta } from '../services/request-meta.js';

/** Requests without a known peer address (e.g. a Unix socket) share one bucket rather than none. */
const UNKNOWN_IP = 'unknown';

/**
 * How rate-limit keys are spelled, so every use case keys the same thing the same way. Accounts are
 * keyed by the normalized email string, never by the user id: an unknown email then meets exactly the
 * same limits as a known one, and a limit reveals nothing about who has an account.
 */
export const rateLimitKeys = {
  /** The client's network (already resolved from `X-Forwarded-For` only behind trusted proxies): see {@link clientNetwork}. */
  ip(meta: RequestMeta): string {
    return clientNetwork(meta.ip);
  },
  /** An account, by email as typed (normalized here). */
  account(email: string): string {
    return normalizeEmail(email);
  },
  /** An account from one client network. */
  accountIp(email: string, meta: RequestMeta): string {
    return `${normalizeEmail(email)} ${clientNetwork(meta.ip)}`;
  },
} as const;

/**
 * What one client is, for counting: an IPv4 address as it is, an IPv6 address by its /64 network. One
 * host is commonly given a whole /64 and can pick any address in it, so counting single IPv6 addresses
 * would give it 2^64 fresh buckets. Anything else (no address) shares one bucket.
 */
export function clientNetwork(ip: string | null): string {
  if (!ip) return UNKNOWN_IP;
  if (!ip.includes(':')) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  // An IPv4 address written as IPv6 (::ffff:a.b.c.d, or its hex form) is that IPv4 client.
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return ipv4Of(groups.slice(6));
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (lower-case hex, no leading zeros), or null when it is not one. */
function ipv6Groups(ip: string): string[] | null {
  const halves = ip.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const parts = (half: string | undefined) => (half ? half.split(':') : []);
  // A dotted IPv4 tail (::ffff:1.2.3.4) stands for two groups.
  const width = (list: string[]) => list.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const head = parts(halves[0]);
  const tail = parts(halves[1]);
  const missing = 8 - width(head) - width(tail);
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !g.includes('.') && !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => (g.includes('.') ? g : parseInt(g, 16).toString(16)));
}

/** The IPv4 address in the last 32 bits of an IPv6 address: one dotted group, or two hex groups. */
function ipv4Of(tail: string[]): string {
  if (tail.length === 1) return tail[0]!;
  const [high, low] = tail.map((g) => parseInt(g, 16)) as [number, number];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}
