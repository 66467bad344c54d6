import { isDomainError } from '../../domain/shared/domain-error.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { RequestMeta } from '../services/request-meta.js';
import { clientNetwork } from './rate-limit-keys.js';

/**
 * The limits on second-factor codes (TOTP, recovery codes), wherever one is checked: at sign-in and to
 * re-authenticate. Shaped like the password's (docs/adr/0004-rate-limits.md): a progressive lockout per user
 * and client network, and an account-wide cap that networks which passed the second factor before are exempt
 * from. Whoever knows the password then locks out only their own networks, never the owner's.
 */
export const secondFactorGuard = {
  /** Counts an attempt before the code is checked; RATE_LIMITED when the network is locked or the account capped. */
  async admit(limiter: RateLimiter, userId: string, meta: RequestMeta): Promise<void> {
    const pair = keyOf(userId, meta);
    try {
      await limiter.consume('mfa_account', userId);
    } catch (error) {
      if (!isDomainError(error, 'RATE_LIMITED') || !(await limiter.remembers('mfa_known_ip', pair))) throw error;
    }
    try {
      await limiter.consume('mfa_account_ip', pair);
    } catch (error) {
      await limiter.refund('mfa_account', userId); // this attempt never reached the code
      throw error;
    }
  },

  /** The code was right: end this network's lockout, uncount the attempt, remember the network. */
  async accepted(limiter: RateLimiter, userId: string, meta: RequestMeta): Promise<void> {
    const pair = keyOf(userId, meta);
    await Promise.all([limiter.reset('mfa_account_ip', pair), limiter.refund('mfa_account', userId), limiter.remember('mfa_known_ip', pair)]);
  },
} as const;

function keyOf(userId: string, meta: RequestMeta): string {
  return `${userId} ${clientNetwork(meta.ip)}`;
}
