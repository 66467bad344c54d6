import { describe, expect, it } from 'vitest';
import type { BillingCheckout } from '../../src/domain/billing/billing-checkout.js';
import type { ProcessedBillingEvent } from '../../src/domain/billing/processed-billing-event.js';
import { type ContractSuite, T0, at, expectCode, newOrganization, unique, useStore } from './fixtures.js';

class Boom extends Error {}

/** BillingEventLedger, BillingCheckoutRepository, OnboardingRepository and the organization's billing fields. */
export const billingPersistenceContract: ContractSuite = (name, makePersistence) => {
  describe(`Billing persistence contract [${name}]`, () => {
    const store = useStore(makePersistence);

    function ledgerRow(eventId = unique('evt')): ProcessedBillingEvent {
      return { eventId, kind: 'payment_succeeded', occurredAt: T0, receivedAt: at(1) };
    }

    function checkout(input: Partial<BillingCheckout> = {}): BillingCheckout {
      return { sessionId: unique('cs'), state: 'provisioning', organizationId: null, subscriptionId: null, attempts: 1, lastError: 'INTERNAL', createdAt: T0, updatedAt: T0, ...input };
    }

    it('records an event id once: the second record of the same id answers false and changes nothing', async () => {
      const row = ledgerRow();
      expect(await store().billingEvents.record(row)).toBe(true);
      expect(await store().billingEvents.record({ ...row, kind: 'ignored' })).toBe(false);
      expect(await store().billingEvents.find(row.eventId)).toEqual(row);
      expect(await store().billingEvents.find(unique('evt'))).toBeNull();
    });

    it('joins the unit of work: a rolled-back record leaves no row, so the event can be recorded again', async () => {
      const row = ledgerRow();
      await expect(
        store().uow.run(async () => {
          expect(await store().billingEvents.record(row)).toBe(true);
          throw new Boom('the effect failed');
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store().billingEvents.find(row.eventId)).toBeNull();
      expect(await store().uow.run(() => store().billingEvents.record(row))).toBe(true);
    });

    it('lets exactly one of concurrent units of work record the same event id', async () => {
      const row = ledgerRow();
      const results = await Promise.all(Array.from({ length: 5 }, () => store().uow.run(() => store().billingEvents.record(row))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('stores a checkout state and replaces it, but never replaces an active one', async () => {
      const first = checkout();
      await store().billingCheckouts.save(first);
      expect(await store().billingCheckouts.find(first.sessionId)).toEqual(first);
      const active = { ...first, state: 'active' as const, organizationId: 'org-1', lastError: null, updatedAt: at(5) };
      await store().billingCheckouts.save(active);
      expect(await store().billingCheckouts.find(first.sessionId)).toEqual(active);
      await store().billingCheckouts.save({ ...first, state: 'failed', attempts: 9, updatedAt: at(9) });
      expect(await store().billingCheckouts.find(first.sessionId)).toEqual(active);
      expect(await store().billingCheckouts.find(unique('cs'))).toBeNull();
    });

    it('finds the applied checkout of a subscription, and no checkout that is not active', async () => {
      const subscriptionId = unique('sub');
      const failed = checkout({ subscriptionId: unique('sub') });
      await store().billingCheckouts.save(failed);
      expect(await store().billingCheckouts.findBySubscription(failed.subscriptionId!)).toBeNull();
      const active = checkout({ state: 'active', organizationId: 'org-1', subscriptionId, lastError: null, attempts: 0 });
      await store().billingCheckouts.save(active);
      expect(await store().billingCheckouts.find(active.sessionId)).toEqual(active);
      expect(await store().billingCheckouts.findBySubscription(subscriptionId)).toEqual(active);
      expect(await store().billingCheckouts.findBySubscription(unique('sub'))).toBeNull();
    });

    it('keeps an onboarding checklist: each step once, completedAt when all four are done, deleted with the organization', async () => {
      const org = newOrganization();
      await store().orgs.save(org);
      expect(await store().onboarding.find(org.id)).toBeNull();
      await store().onboarding.start(org.id, T0);
      await store().onboarding.start(org.id, at(1));
      expect(await store().onboarding.find(org.id)).toEqual({ tenantId: org.id, completedSteps: [], completedAt: null, createdAt: T0, updatedAt: T0 });
      await store().onboarding.completeStep(org.id, 'profile', at(2));
      const again = await store().onboarding.completeStep(org.id, 'profile', at(3));
      expect(again).toMatchObject({ completedSteps: ['profile'], completedAt: null, updatedAt: at(2) });
      await store().onboarding.completeStep(org.id, 'workspace', at(4));
      await store().onboarding.completeStep(org.id, 'invite_member', at(5));
      const done = await store().onboarding.completeStep(org.id, 'first_workflow', at(6));
      expect(done).toEqual({ tenantId: org.id, completedSteps: ['profile', 'workspace', 'invite_member', 'first_workflow'], completedAt: at(6), createdAt: T0, updatedAt: at(6) });
      expect(await store().onboarding.find(org.id)).toEqual(done);
      await store().orgs.delete(org.id);
      expect(await store().onboarding.find(org.id)).toBeNull();
    });

    it('creates the checklist on the first completed step, loses no concurrent step, and refuses an unknown organization', async () => {
      const org = newOrganization();
      await store().orgs.save(org);
      await Promise.all((['profile', 'workspace', 'invite_member'] as const).map((step) => store().uow.run(() => store().onboarding.completeStep(org.id, step, at(1)))));
      const progress = await store().onboarding.find(org.id);
      expect([...(progress?.completedSteps ?? [])].sort()).toEqual(['invite_member', 'profile', 'workspace']);
      await expectCode(store().onboarding.completeStep(unique('missing'), 'profile', T0), 'TENANT_NOT_FOUND');
      await expectCode(store().onboarding.start(unique('missing'), T0), 'TENANT_NOT_FOUND');
    });

    it('finds an organization by its billing customer and keeps billingUpdatedAt', async () => {
      const org = newOrganization();
      const customer = unique('cus');
      org.linkBilling(customer, unique('sub'), at(1));
      org.billingUpdatedAt = at(7);
      await store().orgs.save(org);
      const found = await store().orgs.findByBillingCustomerId(customer);
      expect(found?.id).toBe(org.id);
      expect(found?.billingUpdatedAt).toEqual(at(7));
      expect(await store().orgs.findByBillingCustomerId(unique('cus'))).toBeNull();
    });
  });
};
