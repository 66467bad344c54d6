import type { PlanId } from '../billing/billing-event.js';

/**
 * The plan an organization's entitlements come from: one of the plans Gatehouse sells, or `free`
 * for an organization nobody bought (created by a signed-in user). Prices live with the plan
 * catalogue (billing); limits and features live here, so enforcing them needs no configuration.
 */
export type EntitlementPlan = 'free' | PlanId;

/** Capabilities a plan switches on. Reported by the entitlements API (docs/entitlements.md). */
export type Feature = 'custom_roles' | 'sso' | 'audit_log_export' | 'priority_support';

/** What a plan limits: entities ("units") and seats (members, invited ones included). */
export type EntitlementKind = 'entities' | 'members';

/** `null` means unlimited. */
export type Limit = number | null;

/** An organization's plan, its features and its limits. */
export interface Entitlements {
  readonly plan: EntitlementPlan;
  readonly features: readonly Feature[];
  readonly limits: Readonly<Record<EntitlementKind, Limit>>;
}

/** How much of each limited thing an organization has now. */
export type Usage = Readonly<Record<EntitlementKind, number>>;

/** The answer of `checkAddition`: allowed, or what would be exceeded. */
export type AdditionCheck =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly kind: EntitlementKind; readonly limit: number; readonly used: number; readonly requested: number };

/**
 * Limits and features per plan (the table in docs/entitlements.md). `free` is deliberately small
 * but lets a small team try every flow: five entities and five seats.
 */
export const PLAN_ENTITLEMENTS: Readonly<Record<EntitlementPlan, Entitlements>> = Object.freeze({
  free: freeze({ plan: 'free', features: [], limits: { entities: 5, members: 5 } }),
  starter: freeze({ plan: 'starter', features: ['custom_roles'], limits: { entities: 50, members: 10 } }),
  professional: freeze({ plan: 'professional', features: ['custom_roles', 'sso', 'audit_log_export'], limits: { entities: 200, members: 50 } }),
  enterprise: freeze({ plan: 'enterprise', features: ['custom_roles', 'sso', 'audit_log_export', 'priority_support'], limits: { entities: null, members: null } }),
});

/** Whether `plan` names a plan with entitlements. */
export function isEntitlementPlan(plan: string): plan is EntitlementPlan {
  return Object.hasOwn(PLAN_ENTITLEMENTS, plan);
}

/**
 * The entitlements of an organization whose `plan` column holds this value. No plan is `free`;
 * so is a value that names no plan (say a retired one): limits fail closed to the smallest set
 * rather than open to unlimited.
 */
export function entitlementsFor(plan: string | null): Entitlements {
  return plan !== null && isEntitlementPlan(plan) ? PLAN_ENTITLEMENTS[plan] : PLAN_ENTITLEMENTS.free;
}

/**
 * Whether `count` more of `kind` fit. Usage above the limit (after a downgrade) is kept, never
 * trimmed, but nothing more of that kind is allowed until usage drops below the limit.
 */
export function checkAddition(entitlements: Entitlements, usage: Usage, kind: EntitlementKind, count = 1): AdditionCheck {
  const limit = entitlements.limits[kind];
  const used = usage[kind];
  if (limit === null || used + count <= limit) return { allowed: true };
  return { allowed: false, kind, limit, used, requested: count };
}

function freeze(e: { plan: EntitlementPlan; features: Feature[]; limits: Record<EntitlementKind, Limit> }): Entitlements {
  return Object.freeze({ plan: e.plan, features: Object.freeze([...e.features]), limits: Object.freeze({ ...e.limits }) });
}
