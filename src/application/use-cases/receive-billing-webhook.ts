import { DomainError } from '../../domain/shared/domain-error.js';
import { type BillingAvailability, requireGateway } from '../services/billing-availability.js';
import type { ApplyBillingEvent, BillingEventOutcome } from './apply-billing-event.js';

/**
 * POST /api/v1/webhooks/stripe: verifies the signature over the exact raw bytes, then applies the
 * event exactly once. A bad signature or stale timestamp is WEBHOOK_SIGNATURE_INVALID (400) before
 * anything is read or written; a failure while applying propagates (500) so the provider redelivers,
 * and the ledger makes that redelivery safe.
 */
export class ReceiveBillingWebhook {
  constructor(private readonly deps: { billing: BillingAvailability; apply: ApplyBillingEvent }) {}

  async execute(rawBody: Buffer | undefined, signatureHeader: string | undefined): Promise<BillingEventOutcome> {
    const gateway = requireGateway(this.deps.billing);
    if (!rawBody || rawBody.length === 0 || !signatureHeader) throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is missing or invalid');
    const event = gateway.parseWebhook(rawBody, signatureHeader);
    return this.deps.apply.execute(event);
  }
}
