import type { OrganizationStatus } from '../tenancy/organization-status.js';
import type { SubscriptionState } from './billing-event.js';

/** The organization status a subscription state calls for; null when it calls for no change (`incomplete`). */
export function statusForSubscription(state: SubscriptionState): OrganizationStatus | null {
  switch (state) {
    case 'active':
    case 'trialing':
      return 'active';
    case 'past_due':
    case 'unpaid':
      return 'past_due';
    case 'canceled':
      return 'archived';
    case 'incomplete':
      return null;
  }
}

/**
 * Which moves billing may make on its own. Payments reactivate only a tenant that billing
 * itself put in `past_due` (or one still `provisioning`): an operator's suspension and an
 * archive are lifted by an operator (CLI `restore-organization`), never by a late invoice.
 */
const BILLING_MOVES: Readonly<Record<OrganizationStatus, readonly OrganizationStatus[]>> = {
  provisioning: ['active', 'archived'],
  active: ['past_due', 'archived'],
  past_due: ['active', 'archived'],
  suspended: ['archived'],
  archived: [],
};

/** The status after billing asks for `wanted`: `wanted` when billing may make that move, else `current`. */
export function billingTransition(current: OrganizationStatus, wanted: OrganizationStatus): OrganizationStatus {
  return BILLING_MOVES[current].includes(wanted) ? wanted : current;
}

/**
 * Whether an event that happened at `occurredAt` is older than the billing state already applied.
 * Provider times have one-second resolution, so an event of the same second is applied.
 */
export function isStaleBillingEvent(appliedUpTo: Date | null, occurredAt: Date): boolean {
  return appliedUpTo !== null && occurredAt.getTime() < appliedUpTo.getTime();
}
