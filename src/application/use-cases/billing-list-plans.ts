import type { Plan, PlanCatalogue } from '../../domain/billing/plans.js';
import type { BillingAvailability } from '../services/billing-availability.js';

/** The plans for a pricing page, and whether buying one works on this deployment. */
export interface PlanListing {
  configured: boolean;
  plans: readonly Plan[];
}

/** Lists the plan catalogue; answers even when billing is not configured (the page can say so). */
export class ListBillingPlans {
  constructor(private readonly deps: { catalogue: PlanCatalogue; billing: BillingAvailability }) {}

  execute(): PlanListing {
    return { configured: this.deps.billing.configured, plans: this.deps.catalogue.list() };
  }
}
