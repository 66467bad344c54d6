import type { CheckoutState } from '../../domain/billing/billing-checkout.js';
import type { BillingCheckoutRepository } from '../ports/billing-checkout-repository.port.js';
import type { BillingAvailability } from '../services/billing-availability.js';

/** What the pending page polls for: the stored state, or `not_configured` when billing is off. */
export type CheckoutStatus = CheckoutState | 'not_configured';

/**
 * GET /api/v1/billing/status?session_id=. An unknown session answers `pending`, the same as one
 * whose webhook has not arrived yet: the page keeps polling, and the answer tells a guesser nothing
 * (session ids are unguessable anyway, and the status carries no data).
 */
export class GetCheckoutStatus {
  constructor(private readonly deps: { checkouts: BillingCheckoutRepository; billing: BillingAvailability }) {}

  async execute(sessionId: string): Promise<CheckoutStatus> {
    if (!this.deps.billing.configured) return 'not_configured';
    return (await this.deps.checkouts.find(sessionId))?.state ?? 'pending';
  }
}
