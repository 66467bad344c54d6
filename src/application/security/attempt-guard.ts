import { isDomainError } from '../../domain/shared/domain-error.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { RequestMeta } from '../services/request-meta.js';
import { clientNetwork } from './rate-limit-keys.js';
import type { CountedPolicyName, FlagPolicyName, WindowPolicyName } from './rate-limit-policies.js';

/**
 * Guessing limits for one secret of an account, as docs/adr/0004-rate-limits.md lays them out: a progressive
 * lockout per account and client network (`pair`), and an account-wide cap (`account`) that networks which gave
 * the right secret before (`known`) are exempt from. An attacker, from however many networks, is slowed down,
 * and whoever knows one secret cannot lock the owner out of the account with it.
 */
export class AttemptGuard {
  constructor(private readonly policies: { account: WindowPolicyName; pair: CountedPolicyName; known: FlagPolicyName }) {}

  /** Counts an attempt before the secret is checked; RATE_LIMITED when the network is locked or the account capped. */
  async admit(limiter: RateLimiter, account: string, pair: string): Promise<void> {
    const { policies } = this;
    try {
      await limiter.consume(policies.account, account);
    } catch (error) {
      if (!isDomainError(error, 'RATE_LIMITED') || !(await limiter.remembers(policies.known, pair))) throw error;
    }
    try {
      await limiter.consume(policies.pair, pair);
    } catch (error) {
      await limiter.refund(policies.account, account); // this attempt never reached the secret
      throw error;
    }
  }

  /**
   * The secret was right: end this network's lockout and uncount the attempt; `remember` the network as one the
   * owner uses, exempt from the account cap, unless what was right is not the secret this guard protects.
   */
  async accepted(limiter: RateLimiter, account: string, pair: string, remember = true): Promise<void> {
    const { policies } = this;
    await Promise.all([limiter.reset(policies.pair, pair), limiter.refund(policies.account, account), remember ? limiter.remember(policies.known, pair) : undefined]);
  }
}

/** Passwords at sign-in, keyed by the normalized email (an unknown address meets the same limits). */
export const passwordGuard = new AttemptGuard({ account: 'login_account', pair: 'login_account_ip', known: 'login_known_ip' });

const mfaGuard = new AttemptGuard({ account: 'mfa_account', pair: 'mfa_account_ip', known: 'mfa_known_ip' });

/** Second-factor codes (TOTP, recovery codes) at sign-in and to re-authenticate, keyed by user id. */
export const secondFactorGuard = {
  admit: (limiter: RateLimiter, userId: string, meta: RequestMeta) => mfaGuard.admit(limiter, userId, `${userId} ${clientNetwork(meta.ip)}`),
  accepted: (limiter: RateLimiter, userId: string, meta: RequestMeta, remember = true) => mfaGuard.accepted(limiter, userId, `${userId} ${clientNetwork(meta.ip)}`, remember),
} as const;
