import type { Container } from 'inversify';
import type { IdentityDirectory } from '../../application/ports/identity-directory.port.js';
import type { IdentityProvider } from '../../application/ports/identity-provider.port.js';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { Mailer } from '../../application/ports/mailer.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { AuditRecorder } from '../../application/services/audit-recorder.js';
import type { BillingAvailability } from '../../application/services/billing-availability.js';
import { OnboardingTracker } from '../../application/services/onboarding-tracker.js';
import type { OrgContext } from '../../application/services/org-context.js';
import { PaymentFailedNotice } from '../../application/services/payment-failed-notice.js';
import { TenantProvisioning } from '../../application/services/tenant-provisioning.js';
import { ApplyBillingEvent } from '../../application/use-cases/apply-billing-event.js';
import { GetCheckoutStatus } from '../../application/use-cases/get-checkout-status.js';
import { ManageOnboarding } from '../../application/use-cases/manage-onboarding.js';
import { ReceiveBillingWebhook } from '../../application/use-cases/receive-billing-webhook.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config/config.schema.js';
import { T } from './tokens.js';

/** The webhook, provisioning status and onboarding use cases the HTTP adapter calls. */
export interface BillingWebhookUseCases {
  billingWebhook: ReceiveBillingWebhook;
  checkoutStatus: GetCheckoutStatus;
  onboarding: ManageOnboarding;
}

/**
 * Webhook processing (ApplyBillingEvent with provisioning and the payment-failed notice), the
 * checkout status, the onboarding checklist and the tracker other use cases report steps to.
 */
export function bindBillingWebhooks(c: Container, config: Config): void {
  c.bind<OnboardingTracker>(T.OnboardingTracker).toResolvedValue((p: Persistence, clock: Clock) => new OnboardingTracker({ onboarding: p.onboarding, clock }), [T.Persistence, T.Clock]);
  c.bind<ApplyBillingEvent>(T.ApplyBillingEvent).toResolvedValue(
    (p: Persistence, identity: IdentityProvider, directory: IdentityDirectory, mailer: Mailer, bus: InvalidationBus, audit: AuditRecorder, clock: Clock) =>
      new ApplyBillingEvent({
        ledger: p.billingEvents,
        checkouts: p.billingCheckouts,
        orgs: p.orgs,
        provisioning: new TenantProvisioning({ orgs: p.orgs, users: p.users, memberships: p.memberships, onboarding: p.onboarding, identity, directory, links: p.identityLinks, clock }),
        paymentFailed: new PaymentFailedNotice({ memberships: p.memberships, users: p.users, mailer, publicUrl: config.PUBLIC_URL }),
        uow: p.uow,
        bus,
        audit,
        clock,
      }),
    [T.Persistence, T.IdentityProvider, T.IdentityDirectory, T.Mailer, T.Bus, T.Audit, T.Clock],
  );
  c.bind<BillingWebhookUseCases>(T.BillingWebhookUseCases).toResolvedValue(
    (p: Persistence, billing: BillingAvailability, apply: ApplyBillingEvent, context: OrgContext, clock: Clock): BillingWebhookUseCases => ({
      billingWebhook: new ReceiveBillingWebhook({ billing, apply }),
      checkoutStatus: new GetCheckoutStatus({ checkouts: p.billingCheckouts, billing }),
      onboarding: new ManageOnboarding({ onboarding: p.onboarding, context, clock }),
    }),
    [T.Persistence, T.BillingAvailability, T.ApplyBillingEvent, T.OrgContext, T.Clock],
  );
}
