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
  /** The client IP (already resolved from `X-Forwarded-For` only behind trusted proxies). */
  ip(meta: RequestMeta): string {
    return meta.ip ?? UNKNOWN_IP;
  },
  /** An account, by email as typed (normalized here). */
  account(email: string): string {
    return normalizeEmail(email);
  },
  /** An account from one client IP. */
  accountIp(email: string, meta: RequestMeta): string {
    return `${normalizeEmail(email)} ${meta.ip ?? UNKNOWN_IP}`;
  },
} as const;
