import { DomainError } from '../../domain/shared/domain-error.js';
import { type BillingAvailability, requireGateway } from '../services/billing-availability.js';
import type { ApplyBillingEvent, BillingEventOutcome } from './apply-billing-event.js';

/**
 * POST /api/v1/webhooks/stripe: verifies the signature over the exact raw bytes, then applies the
 * event exactly once. A bad signature or stale timestamp is WEBHOOK_SIGNATURE_INVALID (400) before
 * anything is read or written; a failure while applying propagates (500) so the provider redelivers,
 * and the ledger makes that redelivery safe. A `deferred` event (its subscription's checkout not applied
 * yet) is CONCURRENT_MODIFICATION (409) for the same reason: nothing was kept, the redelivery applies it.
 */
export class ReceiveBillingWebhook {
  constructor(private readonly deps: { billing: BillingAvailability; apply: ApplyBillingEvent }) {}

  async execute(rawBody: Buffer | undefined, signatureHeader: string | undefined): Promise<Exclude<BillingEventOutcome, 'deferred'>> {
    const gateway = requireGateway(this.deps.billing);
    if (!rawBody || rawBody.length === 0 || !signatureHeader) throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is missing or invalid');
    const event = gateway.parseWebhook(rawBody, signatureHeader);
    const outcome = await this.deps.apply.execute(event);
    // Stripe redelivers only what was not answered 2xx (for up to three days, with growing pauses): the one
    // outcome that must come back later is answered as a conflict. `unknown_customer` is answered 200 on
    // purpose: a customer with no organization may belong to something else on the same Stripe account.
    if (outcome === 'deferred') {
      throw new DomainError('CONCURRENT_MODIFICATION', 'The event is about a subscription whose checkout has not been applied yet; redeliver it later');
    }
    return outcome;
  }
}
