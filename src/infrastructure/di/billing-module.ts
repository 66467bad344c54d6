import type { Container } from 'inversify';
import type { BillingGateway } from '../../application/ports/billing-gateway.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { RateLimiter } from '../../application/ports/rate-limiter.port.js';
import type { AuditRecorder } from '../../application/services/audit-recorder.js';
import type { BillingAvailability } from '../../application/services/billing-availability.js';
import type { OrgContext } from '../../application/services/org-context.js';
import { ListBillingPlans } from '../../application/use-cases/billing-list-plans.js';
import { OpenBillingPortal } from '../../application/use-cases/billing-open-portal.js';
import { StartCheckout } from '../../application/use-cases/billing-start-checkout.js';
import type { StripeBillingGateway } from '../../adapters/billing/stripe/stripe-billing-gateway.js';
import { PlanCatalogue } from '../../domain/billing/plans.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config/config.schema.js';
import { T } from './tokens.js';

/** The billing use cases the HTTP adapter calls. */
export interface BillingUseCases {
  billingPlans: ListBillingPlans;
  checkout: StartCheckout;
  billingPortal: OpenBillingPortal;
}

/**
 * The Stripe adapter's module (adapters/billing/stripe, and through it the `stripe` SDK), loaded by
 * createGatehouse (optional-adapters.ts) only when billing is configured.
 */
export type StripeAdapter = { StripeBillingGateway: typeof StripeBillingGateway };

/** Billing is on only with both Stripe secrets: without the webhook secret nothing paid could be provisioned. */
export function billingConfigured(config: Config): config is Config & { STRIPE_SECRET_KEY: string; STRIPE_WEBHOOK_SECRET: string } {
  return Boolean(config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET);
}

/** Checkout return URLs: configured, or pages under PUBLIC_URL. Stripe fills in `{CHECKOUT_SESSION_ID}`. */
export function billingUrls(config: Config): { successUrl: string; cancelUrl: string; portalReturnUrl: string } {
  const base = config.PUBLIC_URL.replace(/\/+$/, '');
  return {
    successUrl: config.BILLING_SUCCESS_URL ?? `${base}/onboarding/pending?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: config.BILLING_CANCEL_URL ?? `${base}/pricing`,
    portalReturnUrl: `${base}/`,
  };
}

/**
 * The plan catalogue, the Stripe gateway (bound only when configured, so nothing can call
 * Stripe by accident), the availability value every billing use case checks, and the use cases.
 */
export function bindBilling(c: Container, config: Config, stripe: StripeAdapter | undefined): void {
  const catalogue = new PlanCatalogue({
    starter: config.STRIPE_STARTER_PRICE_ID,
    professional: config.STRIPE_PROFESSIONAL_PRICE_ID,
    enterprise: config.STRIPE_ENTERPRISE_PRICE_ID,
  });
  c.bind<PlanCatalogue>(T.PlanCatalogue).toConstantValue(catalogue);
  if (billingConfigured(config)) {
    if (!stripe) throw new Error('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET set: billing needs the Stripe adapter (createGatehouse loads it)');
    const { StripeBillingGateway } = stripe;
    c.bind<BillingGateway>(T.BillingGateway).toResolvedValue(
      (clock: Clock) =>
        new StripeBillingGateway(
          { secretKey: config.STRIPE_SECRET_KEY, webhookSecret: config.STRIPE_WEBHOOK_SECRET, apiUrl: config.STRIPE_API_URL, timeoutMs: config.STRIPE_TIMEOUT_MS },
          catalogue,
          clock,
        ),
      [T.Clock],
    );
  }
  c.bind<BillingAvailability>(T.BillingAvailability).toDynamicValue((ctx) =>
    billingConfigured(config) ? { configured: true, gateway: ctx.get<BillingGateway>(T.BillingGateway) } : { configured: false },
  );
  const urls = billingUrls(config);
  c.bind<BillingUseCases>(T.BillingUseCases).toResolvedValue(
    (billing: BillingAvailability, p: Persistence, context: OrgContext, audit: AuditRecorder, limiter: RateLimiter): BillingUseCases => ({
      billingPlans: new ListBillingPlans({ catalogue, billing }),
      checkout: new StartCheckout({ billing, context, users: p.users, audit, urls, limiter }),
      billingPortal: new OpenBillingPortal({ billing, context, audit, returnUrl: urls.portalReturnUrl }),
    }),
    [T.BillingAvailability, T.Persistence, T.OrgContext, T.Audit, T.RateLimiter],
  );
}
