import { DomainError } from '../../domain/shared/domain-error.js';
import type { BillingGateway } from '../ports/billing-gateway.port.js';

/**
 * Whether billing is set up. Until the provider's secret key and webhook secret are configured
 * there is no gateway at all (nothing to call by mistake), and every billing operation answers
 * BILLING_NOT_CONFIGURED while the rest of Gatehouse works as before.
 */
export type BillingAvailability = { readonly configured: true; readonly gateway: BillingGateway } | { readonly configured: false };

/** The gateway, or BILLING_NOT_CONFIGURED. */
export function requireGateway(billing: BillingAvailability): BillingGateway {
  if (!billing.configured) throw new DomainError('BILLING_NOT_CONFIGURED', 'Billing is not configured on this Gatehouse');
  return billing.gateway;
}
