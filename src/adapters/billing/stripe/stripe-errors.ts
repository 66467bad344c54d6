import Stripe from 'stripe';
import { DomainError } from '../../../domain/shared/domain-error.js';

/**
 * Stripe failures as Gatehouse codes. Stripe's own messages are dropped: they can quote
 * request parameters (emails, customer ids) and, for authentication errors, part of the key.
 * Only Stripe's stable `code` and request id travel, for support tickets.
 *
 * - cannot connect, timed out, Stripe 5xx, rate limited → BILLING_PROVIDER_UNAVAILABLE (503, retry later)
 * - Stripe refused the request (4xx: bad price id, wrong key, unknown customer) → BILLING_REQUEST_REJECTED (502)
 */
export function translateStripeError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const details = error instanceof Stripe.errors.StripeError ? { providerCode: error.code ?? null, providerRequestId: error.requestId ?? null } : undefined;
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    (error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500)
  ) {
    return new DomainError('BILLING_PROVIDER_UNAVAILABLE', 'The payment provider is unavailable; try again shortly', details);
  }
  if (error instanceof Stripe.errors.StripeError) {
    return new DomainError('BILLING_REQUEST_REJECTED', 'The payment provider refused the request', details);
  }
  return new DomainError('BILLING_PROVIDER_UNAVAILABLE', 'The payment provider is unavailable; try again shortly');
}
