import { BuiltinIdentityProvider } from '../../src/adapters/identity/builtin/builtin-identity-provider.js';
import { LocalDirectory } from '../../src/adapters/identity/builtin/local-directory.js';
import type { InvalidationBus } from '../../src/application/ports/invalidation-bus.port.js';
import type { PasswordHasher } from '../../src/application/ports/password-hasher.port.js';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import type { SecondFactorAuthority } from '../../src/application/ports/second-factor-authority.port.js';
import { AuditRecorder } from '../../src/application/services/audit-recorder.js';
import { OnboardingTracker } from '../../src/application/services/onboarding-tracker.js';
import { OutboxMailer } from '../../src/application/services/outbox-mailer.js';
import { PaymentFailedNotice } from '../../src/application/services/payment-failed-notice.js';
import { TenantProvisioning } from '../../src/application/services/tenant-provisioning.js';
import { ApplyBillingEvent } from '../../src/application/use-cases/apply-billing-event.js';
import type { BillingEvent, PlanId } from '../../src/domain/billing/billing-event.js';
import { TestClock } from '../support/test-clock.js';

export const PUBLIC_URL = 'https://gatehouse.test';

/** A stand-in hasher: activation stores `plain:<password>`; hashing cost is not what these tests check. */
const hasher: PasswordHasher = {
  hash: async (password) => `plain:${password}`,
  verify: async (password, stored) => ({ valid: stored === `plain:${password}`, needsRehash: false }),
  verifyDummy: async () => undefined,
};

/** Second factors are not part of provisioning; any call is a test bug. */
const noSecondFactors = new Proxy(
  {},
  {
    get: () => () => {
      throw new Error('second factors are not used here');
    },
  },
) as SecondFactorAuthority;

/**
 * ApplyBillingEvent over a real store (in-memory or PostgreSQL), the real outbox mailer and the
 * built-in identity provider (activation links), with a clock the test moves.
 */
export function billingWorld(p: Persistence) {
  const clock = new TestClock(new Date('2030-01-01T00:00:00.000Z'));
  const published: string[] = [];
  const bus: InvalidationBus = { publish: async (m) => void published.push(`${m.topic}:${m.id}`), subscribe: () => () => undefined };
  const mailer = new OutboxMailer({ outbox: p.outbox, clock });
  const identity = new BuiltinIdentityProvider({
    users: p.users,
    orgs: p.orgs,
    memberships: p.memberships,
    oneTimeTokens: p.oneTimeTokens,
    hasher,
    blocklist: { isCommon: () => false },
    mailer,
    secondFactors: noSecondFactors,
    uow: p.uow,
    clock,
    settings: { publicUrl: PUBLIC_URL, passwordPolicy: { minLength: 12, maxLength: 1024 }, allowedRedirectOrigins: [PUBLIC_URL] },
  });
  const audit = new AuditRecorder({ audit: p.audit, clock });
  const provisioning = new TenantProvisioning({ orgs: p.orgs, users: p.users, memberships: p.memberships, onboarding: p.onboarding, identity, directory: new LocalDirectory(), links: p.identityLinks, clock });
  const paymentFailed = new PaymentFailedNotice({ memberships: p.memberships, users: p.users, mailer, publicUrl: PUBLIC_URL });
  const apply = new ApplyBillingEvent({ ledger: p.billingEvents, checkouts: p.billingCheckouts, orgs: p.orgs, provisioning, paymentFailed, uow: p.uow, bus, audit, clock });
  const tracker = new OnboardingTracker({ onboarding: p.onboarding, clock });
  return { p, clock, bus, published, identity, apply, tracker, mailer };
}

let counter = 0;

/** A unique suffix for ids and emails in one test run. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

/** A `checkout_completed` event for a new organization, with fresh ids. */
export function checkoutEvent(input: { email?: string; organizationName?: string; planId?: PlanId; occurredAt?: Date; organizationId?: string | null } = {}) {
  return {
    kind: 'checkout_completed',
    eventId: uniqueId('evt'),
    occurredAt: input.occurredAt ?? new Date('2030-01-01T00:00:00.000Z'),
    checkoutSessionId: uniqueId('cs'),
    customerId: uniqueId('cus'),
    subscriptionId: uniqueId('sub'),
    email: input.email ?? `${uniqueId('owner')}@example.com`.toLowerCase(),
    organizationName: input.organizationName ?? 'Harbor Point HOA',
    planId: input.planId ?? 'starter',
    organizationId: input.organizationId ?? null,
  } satisfies BillingEvent;
}
