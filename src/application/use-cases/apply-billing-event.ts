import type { BillingEvent } from '../../domain/billing/billing-event.js';
import { MAX_PROVISIONING_ATTEMPTS } from '../../domain/billing/billing-checkout.js';
import { billingTransition, isStaleBillingEvent, statusForSubscription } from '../../domain/billing/billing-status.js';
import type { Clock } from '../../domain/shared/clock.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { OrganizationStatus } from '../../domain/tenancy/organization-status.js';
import type { BillingCheckoutRepository } from '../ports/billing-checkout-repository.port.js';
import type { BillingEventLedger } from '../ports/billing-event-ledger.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { PaymentFailedNotice } from '../services/payment-failed-notice.js';
import type { CheckoutCompleted, TenantProvisioning } from '../services/tenant-provisioning.js';

/**
 * What applying an event did. The webhook answers 200 for every one but `deferred`: an event about a
 * subscription no applied checkout has brought yet, rolled back and answered with an error so the provider
 * redelivers it once the checkout has linked the subscription.
 */
export type BillingEventOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'unknown_customer' | 'deferred';

type CustomerEvent = Exclude<BillingEvent, { kind: 'checkout_completed' } | { kind: 'ignored' }>;

/** Webhook calls carry no request of a person; the audit log still wants an origin. */
const WEBHOOK_META = { ip: null, userAgent: 'billing-webhook' } as const;

/**
 * Applies one verified billing event exactly once. The ledger row is the first write of the unit
 * of work and the effect follows in the same one: a redelivered event finds the row and does nothing
 * (`duplicate`), a failure midway rolls back row and effect together, and the provider's retry then
 * applies it whole. Events older than the organization's `billingUpdatedAt` are recorded but change
 * nothing (`stale`): deliveries are not ordered, and an old state must not overwrite a newer one.
 * An event about a subscription the organization does not have yet is not kept at all (`deferred`).
 */
export class ApplyBillingEvent {
  constructor(
    private readonly deps: {
      ledger: BillingEventLedger;
      checkouts: BillingCheckoutRepository;
      orgs: OrganizationRepository;
      provisioning: TenantProvisioning;
      paymentFailed: PaymentFailedNotice;
      uow: UnitOfWork;
      bus: InvalidationBus;
      audit: AuditRecorder;
      clock: Clock;
    },
  ) {}

  async execute(event: BillingEvent): Promise<BillingEventOutcome> {
    try {
      return await this.attempt(event);
    } catch (error) {
      // Two checkouts for one new email provisioned at once: the later owner insert collides with the
      // earlier's. Once more, the unit of work finds that user and provisions its organization now,
      // instead of leaving the checkout pending until Stripe's retry.
      if (event.kind === 'checkout_completed' && isDomainError(error, 'USER_ALREADY_EXISTS')) return this.attempt(event);
      throw error;
    }
  }

  private async attempt(event: BillingEvent): Promise<BillingEventOutcome> {
    let touched: { orgId: string; ownerId: string | null } | null = null;
    // What provisioning created at the identity provider, deleted again when this unit of work does not commit.
    const provider: { undo: (() => Promise<void>) | null } = { undo: null };
    try {
      const outcome = await this.deps.uow.run(async () => {
        touched = null;
        const first = await this.deps.ledger.record({ eventId: event.eventId, kind: event.kind, occurredAt: event.occurredAt, receivedAt: this.deps.clock.now() });
        if (!first) return 'duplicate' as const;
        if (event.kind === 'ignored') return 'ignored' as const;
        if (event.kind === 'checkout_completed') {
          touched = await this.provision(event, provider);
          return 'applied' as const;
        }
        const result = await this.applyToCustomer(event);
        // Not kept in the ledger (rolled back): the customer or the subscription may be linked by a checkout later, and a
        // redelivery (Stripe's retry of a `deferred` event, an operator's resend) must then apply it, not answer duplicate.
        if (result.outcome === 'unknown_customer' || result.outcome === 'deferred') throw new NotConsumed(result.outcome);
        if (result.orgId) touched = { orgId: result.orgId, ownerId: null };
        return result.outcome;
      });
      provider.undo = null; // committed: what the provider holds stays
      await this.publish(touched);
      return outcome;
    } catch (error) {
      if (error instanceof NotConsumed) return error.outcome;
      await provider.undo?.().catch(() => undefined);
      if (event.kind === 'checkout_completed') await this.recordFailure(event, error);
      throw error;
    }
  }

  /** `provider.undo` is set as soon as provisioning wrote at the identity provider, for `execute` to run should the unit of work fail. */
  private async provision(event: CheckoutCompleted, provider: { undo: (() => Promise<void>) | null }): Promise<{ orgId: string; ownerId: string | null }> {
    const result = await this.deps.provisioning.provision(event);
    provider.undo = result.undo;
    const now = this.deps.clock.now();
    // The subscription is remembered even when it was not linked: its events are then stale, not awaited.
    await this.deps.checkouts.save({
      sessionId: event.checkoutSessionId, state: 'active', organizationId: result.org.id, subscriptionId: event.subscriptionId, attempts: 0, lastError: null, createdAt: now, updatedAt: now,
    });
    const kept = result.keptSubscriptionId;
    await this.deps.audit.record(
      {
        action: 'billing.organization_provisioned',
        // A paid checkout that changed nothing: the organization kept its other subscription, this one bills
        // on at the provider until an operator cancels (and refunds) it (docs/billing.md, "Two paid checkouts").
        outcome: kept ? 'failure' : 'success',
        tenantId: result.org.id,
        actorUserId: result.ownerId,
        targetType: 'organization',
        targetId: result.org.id,
        metadata: {
          created: result.created, plan: event.planId, eventId: event.eventId,
          ...(kept ? { reason: 'subscription_exists', keptSubscriptionId: kept, unlinkedSubscriptionId: event.subscriptionId, unlinkedCustomerId: event.customerId, checkoutSessionId: event.checkoutSessionId } : {}),
        },
      },
      WEBHOOK_META,
    );
    return { orgId: result.org.id, ownerId: result.ownerId };
  }

  private async applyToCustomer(event: CustomerEvent): Promise<{ outcome: BillingEventOutcome; orgId: string | null }> {
    const found = await this.deps.orgs.findByBillingCustomerId(event.customerId);
    if (!found) return { outcome: 'unknown_customer', orgId: null };
    // The tenant's row lock: events of one customer applied concurrently take turns instead of failing.
    await this.deps.orgs.lock(found.id);
    const org = (await this.deps.orgs.findById(found.id)) ?? found;
    const subscriptionId = 'subscriptionId' in event ? event.subscriptionId : null;
    if (subscriptionId !== null && org.billingSubscriptionId !== null && subscriptionId !== org.billingSubscriptionId) {
      // Another subscription of the same customer. One an applied checkout brought was replaced by an upgrade (or
      // kept aside): its events change nothing. Any other was bought by a checkout not applied yet (a re-subscription
      // whose portal change or cancellation overtook checkout.session.completed): consumed now, it would be lost.
      return { outcome: (await this.deps.checkouts.findBySubscription(subscriptionId)) ? 'stale' : 'deferred', orgId: null };
    }
    if (isStaleBillingEvent(org.billingUpdatedAt, event.occurredAt)) return { outcome: 'stale', orgId: null };

    const before = org.status;
    const now = this.deps.clock.now();
    const wanted = this.wantedStatus(event);
    if (wanted) org.moveTo(billingTransition(org.status, wanted), now);
    if (event.kind === 'subscription_updated' && event.planId !== null) org.plan = event.planId;
    org.billingUpdatedAt = event.occurredAt;
    org.updatedAt = now;
    await this.deps.orgs.save(org);
    if (event.kind === 'payment_failed') await this.deps.paymentFailed.notifyAdmins(org, event.amountDue, event.currency);
    if (before !== org.status) {
      await this.deps.audit.record(
        { action: 'billing.status_changed', tenantId: org.id, targetType: 'organization', targetId: org.id, metadata: { from: before, to: org.status, eventId: event.eventId } },
        WEBHOOK_META,
      );
    }
    return { outcome: 'applied', orgId: org.id };
  }

  private wantedStatus(event: CustomerEvent): OrganizationStatus | null {
    switch (event.kind) {
      case 'payment_succeeded':
        return 'active';
      case 'payment_failed':
        return 'past_due';
      case 'subscription_updated':
        return statusForSubscription(event.state);
      case 'subscription_deleted':
        return 'archived';
    }
  }

  /**
   * Outside the rolled-back unit of work: the pending page shows `provisioning` while the provider
   * retries, and `failed` after MAX_PROVISIONING_ATTEMPTS. Never replaces `active` (the store's rule).
   */
  private async recordFailure(event: CheckoutCompleted, error: unknown): Promise<void> {
    try {
      const previous = await this.deps.checkouts.find(event.checkoutSessionId);
      if (previous?.state === 'active') return;
      const attempts = (previous?.attempts ?? 0) + 1;
      const now = this.deps.clock.now();
      await this.deps.checkouts.save({
        sessionId: event.checkoutSessionId,
        state: attempts >= MAX_PROVISIONING_ATTEMPTS ? 'failed' : 'provisioning',
        organizationId: previous?.organizationId ?? null,
        // Not applied: its subscription's events must keep waiting for it, not become stale.
        subscriptionId: null,
        attempts,
        lastError: isDomainError(error) ? error.code : 'INTERNAL',
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      });
    } catch {
      // The store itself may be what failed; the original error is the one to report.
    }
  }

  /** After commit: caches of the tenant (status, plan) and of the new owner are dropped everywhere. */
  private async publish(touched: { orgId: string; ownerId: string | null } | null): Promise<void> {
    if (!touched) return;
    await this.deps.bus.publish({ topic: 'tenant', id: touched.orgId });
    if (touched.ownerId) await this.deps.bus.publish({ topic: 'user', id: touched.ownerId });
  }
}

/**
 * Rolls back the ledger row of an event about a customer no organization has (yet), or about a subscription
 * no applied checkout has brought yet: a redelivery after the checkout must apply it, not answer duplicate.
 */
class NotConsumed extends Error {
  constructor(readonly outcome: 'unknown_customer' | 'deferred') {
    super(outcome);
  }
}
