import { DomainError } from '../../domain/shared/domain-error.js';
import type { PlanId } from '../../domain/billing/billing-event.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { rateLimitKeys } from '../security/rate-limit-keys.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import { type BillingAvailability, requireGateway } from '../services/billing-availability.js';
import type { OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** What the pricing page sends. `organization` (id or slug) upgrades an existing organization. */
export interface CheckoutInput {
  planId: PlanId;
  email?: string | undefined;
  organizationName?: string | undefined;
  organization?: string | undefined;
}

/** Where the provider sends the buyer back; the success URL carries `{CHECKOUT_SESSION_ID}`. */
export interface CheckoutUrls {
  successUrl: string;
  cancelUrl: string;
}

/**
 * Starts a hosted checkout. Anonymous visitors buy a new organization (provisioned when the
 * provider reports the completed checkout); a signed-in admin with `billing:manage` can buy a
 * plan for an organization they administer, which reuses its customer so the provider keeps one
 * customer per organization.
 */
export class StartCheckout {
  constructor(
    private readonly deps: { billing: BillingAvailability; context: OrgContext; users: UserRepository; audit: AuditRecorder; urls: CheckoutUrls; limiter: RateLimiter },
  ) {}

  /**
   * `identify` authenticates the caller; it is called only for an upgrade, after the billing
   * check, so an anonymous purchase never needs a token and an unconfigured Gatehouse always
   * answers BILLING_NOT_CONFIGURED first.
   */
  async execute(input: CheckoutInput, identify: () => Promise<Principal>, meta: RequestMeta): Promise<{ id: string; url: string }> {
    const gateway = requireGateway(this.deps.billing);
    const base = { planId: input.planId, successUrl: this.deps.urls.successUrl, cancelUrl: this.deps.urls.cancelUrl };
    if (input.organization === undefined) {
      // Counted before calling the provider: anyone may start one, and each creates a session there.
      await this.deps.limiter.consume('checkout_ip', rateLimitKeys.ip(meta));
      return gateway.createCheckout({ ...base, email: input.email ?? null, organizationName: input.organizationName ?? null, organizationId: null, customerId: null });
    }
    const caller = await identify();
    const { org } = await this.deps.context.require(caller, input.organization, 'billing:manage', meta, { archived: 'allowed' });
    // A second checkout would start a second subscription and bill both; the portal changes the plan of the one there is.
    if (org.billedBySubscription) {
      throw new DomainError('BILLING_SUBSCRIPTION_ACTIVE', 'This organization has a subscription: change its plan in the billing portal');
    }
    // The buyer is the signed-in admin unless they name a billing address; the name is the organization's.
    const email = input.email ?? (await this.deps.users.findById(caller.userId))?.email ?? null;
    const session = await gateway.createCheckout({ ...base, email, organizationName: org.name, organizationId: org.id, customerId: org.billingCustomerId });
    await this.deps.audit.record(
      { action: 'billing.checkout_started', tenantId: org.id, actorUserId: caller.userId, targetType: 'organization', targetId: org.id, metadata: { plan: input.planId, checkoutSessionId: session.id } },
      meta,
    );
    return session;
  }
}
