import type { RateLimiter, RateLimitStatus } from '../../application/ports/rate-limiter.port.js';

/**
 * `RATE_LIMITS_ENABLED=false`: allows everything and remembers nothing. For load tests and for
 * installations that enforce limits in front of Gatehouse; never the default.
 */
export class DisabledRateLimiter implements RateLimiter {
  async consume(): Promise<void> {}
  async refund(): Promise<void> {}
  async reset(): Promise<void> {}
  async peek(): Promise<RateLimitStatus> {
    return { attempts: 0, retryAfter: 0 };
  }
  async remember(): Promise<void> {}
  async remembers(): Promise<boolean> {
    return false;
  }
}
