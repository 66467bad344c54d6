import { isDomainError } from '../../domain/shared/domain-error.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { CountedPolicyName } from './rate-limit-policies.js';

/**
 * Counts an attempt against a policy that never refuses the request itself, only something it would do
 * (a mail): true while within the limit, false beyond it. Other failures of the limiter propagate.
 */
export async function withinLimit(limiter: Pick<RateLimiter, 'consume'>, policy: CountedPolicyName, key: string): Promise<boolean> {
  try {
    await limiter.consume(policy, key);
    return true;
  } catch (error) {
    if (isDomainError(error, 'RATE_LIMITED')) return false;
    throw error;
  }
}
