import { type Entitlements, PLAN_ENTITLEMENTS } from '../entitlements/plan-entitlements.js';
import type { PlanId } from './billing-event.js';

/** Every plan Gatehouse sells, cheapest first. */
export const PLAN_IDS: readonly PlanId[] = Object.freeze(['starter', 'professional', 'enterprise']);

/** A plan as sold: price, the provider's price id, and what it entitles to. */
export interface Plan {
  readonly id: PlanId;
  readonly name: string;
  /** Price per interval in the currency's smallest unit (cents). */
  readonly amount: number;
  readonly currency: 'usd';
  readonly interval: 'month';
  /** The billing provider's price (Stripe `price_…`) that a checkout for this plan buys. */
  readonly priceId: string;
  /** Units (entities) included; `null` is unlimited. */
  readonly unitLimit: number | null;
  readonly entitlements: Entitlements;
}

/** Names and prices; limits and features come from the entitlements table so they are defined once. */
const PRICES: Readonly<Record<PlanId, { name: string; amount: number }>> = Object.freeze({
  starter: { name: 'Starter', amount: 2900 },
  professional: { name: 'Professional', amount: 7900 },
  enterprise: { name: 'Enterprise', amount: 19900 },
});

/** Whether `value` names a plan Gatehouse sells. */
export function isPlanId(value: string): value is PlanId {
  return (PLAN_IDS as readonly string[]).includes(value);
}

/**
 * The plan catalogue: a pure value built from the provider's price ids (configuration).
 * Translating a provider price back to a plan goes through `byPriceId`, so an unknown price
 * (a plan made in the dashboard but not configured here) is never mistaken for one of ours.
 */
export class PlanCatalogue {
  private readonly plans: readonly Plan[];

  constructor(priceIds: Readonly<Record<PlanId, string>>) {
    this.plans = Object.freeze(
      PLAN_IDS.map((id) => {
        const entitlements = PLAN_ENTITLEMENTS[id];
        return Object.freeze({ id, ...PRICES[id], currency: 'usd' as const, interval: 'month' as const, priceId: priceIds[id], unitLimit: entitlements.limits.entities, entitlements });
      }),
    );
  }

  /** Every plan, cheapest first. */
  list(): readonly Plan[] {
    return this.plans;
  }

  /** The plan with this id. */
  get(id: PlanId): Plan {
    const plan = this.plans.find((p) => p.id === id);
    if (!plan) throw new Error(`unknown plan ${id}`);
    return plan;
  }

  /** The plan a provider price id belongs to, or null for a price Gatehouse does not sell. */
  byPriceId(priceId: string): Plan | null {
    return this.plans.find((p) => p.priceId === priceId) ?? null;
  }
}
