import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MembershipRepository } from '../../src/application/ports/membership-repository.port.js';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import { assertSignInAllowed } from '../../src/domain/tenancy/organization-status.js';
import { Membership } from '../../src/domain/tenancy/membership.js';
import { User } from '../../src/domain/tenancy/user.js';
import { type DomainError, isDomainError } from '../../src/domain/shared/domain-error.js';
import { inMemoryPersistence, pglitePersistence, postgresLabel, postgresPersistence, type TestPersistence } from '../support/test-database.js';
import { PUBLIC_URL, billingWorld, checkoutEvent, uniqueId } from './billing-world.js';

class InjectedFailure extends Error {}

/** A store whose membership insert fails: a database failure midway through provisioning. */
function failingMemberships(p: Persistence, shouldFail: () => boolean): Persistence {
  const memberships: MembershipRepository = Object.create(p.memberships) as MembershipRepository;
  memberships.save = async (m: Membership) => {
    if (shouldFail()) throw new InjectedFailure('connection lost during the membership insert');
    return p.memberships.save(m);
  };
  return { ...p, memberships };
}

const stores: [string, () => Promise<TestPersistence>][] = [
  ['in-memory', inMemoryPersistence],
  ['PGlite', pglitePersistence],
];

describe.each(stores)('ApplyBillingEvent [%s]', (_name, make) => {
  let store: TestPersistence;
  beforeAll(async () => {
    store = await make();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  async function orgsOf(email: string, p: Persistence) {
    const user = await p.users.findByEmail(email);
    if (!user) return [];
    return (await p.memberships.listByUser(user.id)).map((m) => m.tenantId);
  }

  it('provisions a tenant: active organization with plan and customer, invited owner as admin, one activation mail, onboarding row, checkout active', async () => {
    const w = billingWorld(store.persistence);
    const event = checkoutEvent({ planId: 'professional' });
    expect(await w.apply.execute(event)).toBe('applied');

    const org = await w.p.orgs.findByBillingCustomerId(event.customerId);
    expect(org).toMatchObject({ status: 'active', plan: 'professional', name: 'Harbor Point HOA', billingSubscriptionId: event.subscriptionId, billingUpdatedAt: event.occurredAt });
    expect(org?.slug).toMatch(/^harbor-point-hoa/);
    const owner = await w.p.users.findByEmail(event.email);
    expect(owner?.status).toBe('invited');
    const membership = await w.p.memberships.findByUser(org!.id, owner!.id);
    expect(membership).toMatchObject({ role: 'admin', status: 'invited' });
    const mails = await w.p.outbox.listRecent(event.email);
    expect(mails.map((m) => m.template)).toEqual(['activation']);
    expect(mails[0]?.data['link']).toMatch(new RegExp(`^${PUBLIC_URL}/`));
    expect(await w.p.onboarding.find(org!.id)).toMatchObject({ completedSteps: [], completedAt: null });
    expect(await w.p.billingCheckouts.find(event.checkoutSessionId)).toMatchObject({ state: 'active', organizationId: org!.id });
    expect(w.published).toEqual([`tenant:${org!.id}`, `user:${owner!.id}`]);
  });

  it('provisions exactly one organization and one mail when the same event arrives 10 times concurrently', async () => {
    const w = billingWorld(store.persistence);
    const event = checkoutEvent();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => w.apply.execute({ ...event })));
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(9);
    expect(await orgsOf(event.email, w.p)).toHaveLength(1);
    expect(await w.p.outbox.listRecent(event.email)).toHaveLength(1);
    expect(await w.apply.execute(event)).toBe('duplicate');
  });

  it('leaves no organization, user, mail or ledger row when the database fails midway, and the redelivery provisions everything once', async () => {
    let fail = true;
    const w = billingWorld(failingMemberships(store.persistence, () => fail));
    const event = checkoutEvent();
    await expect(w.apply.execute(event)).rejects.toBeInstanceOf(InjectedFailure);
    expect(await w.p.orgs.findByBillingCustomerId(event.customerId)).toBeNull();
    expect(await w.p.users.findByEmail(event.email)).toBeNull();
    expect(await w.p.outbox.listRecent(event.email)).toEqual([]);
    expect(await w.p.billingEvents.find(event.eventId)).toBeNull();
    expect(await w.p.billingCheckouts.find(event.checkoutSessionId)).toMatchObject({ state: 'provisioning', attempts: 1, lastError: 'INTERNAL', organizationId: null });

    fail = false;
    expect(await w.apply.execute(event)).toBe('applied');
    expect(await w.apply.execute(event)).toBe('duplicate');
    expect(await orgsOf(event.email, w.p)).toHaveLength(1);
    expect(await w.p.outbox.listRecent(event.email)).toHaveLength(1);
    expect((await w.p.billingCheckouts.find(event.checkoutSessionId))?.state).toBe('active');
  });

  it('shows a checkout as failed after repeated failures, and active once a redelivery succeeds', async () => {
    let fail = true;
    const w = billingWorld(failingMemberships(store.persistence, () => fail));
    const event = checkoutEvent();
    for (let i = 0; i < 5; i++) await expect(w.apply.execute(event)).rejects.toBeInstanceOf(InjectedFailure);
    expect(await w.p.billingCheckouts.find(event.checkoutSessionId)).toMatchObject({ state: 'failed', attempts: 5 });
    fail = false;
    expect(await w.apply.execute(event)).toBe('applied');
    expect((await w.p.billingCheckouts.find(event.checkoutSessionId))?.state).toBe('active');
  });

  it('is idempotent on the customer: a second checkout event for the same customer upgrades the one organization', async () => {
    const w = billingWorld(store.persistence);
    const event = checkoutEvent({ planId: 'starter' });
    await w.apply.execute(event);
    w.clock.advance(60);
    const again = { ...event, eventId: uniqueId('evt'), checkoutSessionId: uniqueId('cs'), planId: 'enterprise' as const, occurredAt: w.clock.now() };
    expect(await w.apply.execute(again)).toBe('applied');
    expect(await orgsOf(event.email, w.p)).toHaveLength(1);
    expect((await w.p.orgs.findByBillingCustomerId(event.customerId))?.plan).toBe('enterprise');
    expect(await w.p.outbox.listRecent(event.email)).toHaveLength(1);
  });

  it('adds an existing active user who proved their mailbox as an active admin, without mail', async () => {
    const w = billingWorld(store.persistence);
    const email = `${uniqueId('known')}@example.com`.toLowerCase();
    const user = User.create({ id: uniqueId('user'), email, name: 'Ada', passwordHash: 'plain:x', now: w.clock.now() });
    user.emailVerifiedAt = w.clock.now();
    await w.p.users.save(user);
    const event = checkoutEvent({ email });
    await w.apply.execute(event);
    const org = await w.p.orgs.findByBillingCustomerId(event.customerId);
    expect(await w.p.memberships.findByUser(org!.id, user.id)).toMatchObject({ role: 'admin', status: 'active' });
    expect(await w.p.outbox.listRecent(email)).toEqual([]);
  });

  it('makes an account that never proved its mailbox an invited admin, and mails it an invitation link (pre-hijacking)', async () => {
    // Whoever registered the address may not own it; the paying owner proves the mailbox to take the tenant.
    const w = billingWorld(store.persistence);
    const email = `${uniqueId('squatted')}@example.com`.toLowerCase();
    const user = User.create({ id: uniqueId('user'), email, name: 'Squatter', passwordHash: 'plain:x', now: w.clock.now() });
    await w.p.users.save(user);
    const event = checkoutEvent({ email });
    await w.apply.execute(event);
    const org = await w.p.orgs.findByBillingCustomerId(event.customerId);
    expect(await w.p.memberships.findByUser(org!.id, user.id)).toMatchObject({ role: 'admin', status: 'invited' });
    expect((await w.p.outbox.listRecent(email)).map((m) => m.template)).toEqual(['invitation']);
  });

  /** An organization provisioned by a checkout whose subscription then ended (archived, Stripe customer kept). */
  async function archivedOrganization(w: ReturnType<typeof billingWorld>) {
    const first = checkoutEvent({ planId: 'starter' });
    await w.apply.execute(first);
    const org = (await w.p.orgs.findByBillingCustomerId(first.customerId))!;
    w.clock.advance(10);
    const ended = { kind: 'subscription_deleted' as const, eventId: uniqueId('evt'), occurredAt: w.clock.now(), customerId: first.customerId, subscriptionId: first.subscriptionId };
    expect(await w.apply.execute(ended)).toBe('applied');
    expect((await w.p.orgs.findById(org.id))?.status).toBe('archived');
    return { first, org };
  }

  it('upgrades (re-subscribes) the organization a signed-in admin named, instead of creating one', async () => {
    const w = billingWorld(store.persistence);
    const { first, org } = await archivedOrganization(w);
    w.clock.advance(10);
    const upgrade = { ...checkoutEvent({ planId: 'professional', organizationId: org.id, occurredAt: w.clock.now() }), customerId: first.customerId };
    expect(await w.apply.execute(upgrade)).toBe('applied');
    const after = await w.p.orgs.findById(org.id);
    expect(after).toMatchObject({ status: 'active', plan: 'professional', billingSubscriptionId: upgrade.subscriptionId });
    expect(await w.p.billingCheckouts.find(upgrade.checkoutSessionId)).toMatchObject({ organizationId: org.id, subscriptionId: upgrade.subscriptionId });
  });

  it('regression: a second paid checkout keeps the live subscription, records the other for an operator, and its events are stale', async () => {
    const w = billingWorld(store.persistence);
    const first = checkoutEvent({ planId: 'enterprise' });
    await w.apply.execute(first);
    const org = (await w.p.orgs.findByBillingCustomerId(first.customerId))!;
    w.clock.advance(10);
    const second = { ...checkoutEvent({ planId: 'starter', organizationId: org.id, occurredAt: w.clock.now() }), customerId: first.customerId };
    expect(await w.apply.execute(second)).toBe('applied');
    expect(await w.p.orgs.findById(org.id)).toMatchObject({ status: 'active', plan: 'enterprise', billingSubscriptionId: first.subscriptionId });
    expect(await w.p.billingCheckouts.find(second.checkoutSessionId)).toMatchObject({ state: 'active', organizationId: org.id, subscriptionId: second.subscriptionId });
    const { events } = await w.p.audit.list(org.id, { limit: 10 });
    expect(events.find((e) => e.outcome === 'failure')).toMatchObject({
      action: 'billing.organization_provisioned',
      metadata: { reason: 'subscription_exists', keptSubscriptionId: first.subscriptionId, unlinkedSubscriptionId: second.subscriptionId, checkoutSessionId: second.checkoutSessionId },
    });
    const cancelSecond = { kind: 'subscription_deleted' as const, eventId: uniqueId('evt'), occurredAt: new Date(second.occurredAt.getTime() + 1_000), customerId: first.customerId, subscriptionId: second.subscriptionId };
    expect(await w.apply.execute(cancelSecond)).toBe('stale');
    expect((await w.p.orgs.findById(org.id))?.status).toBe('active');
  });

  it('regression: an event of a subscription no applied checkout brought is deferred (not recorded) and applied after its checkout', async () => {
    const w = billingWorld(store.persistence);
    const { first, org } = await archivedOrganization(w);
    w.clock.advance(10);
    const again = { ...checkoutEvent({ planId: 'enterprise', organizationId: org.id, occurredAt: w.clock.now() }), customerId: first.customerId };
    const downgrade = { kind: 'subscription_updated' as const, eventId: uniqueId('evt'), occurredAt: new Date(again.occurredAt.getTime() + 5_000), customerId: first.customerId, subscriptionId: again.subscriptionId, planId: 'starter' as const, state: 'active' as const };
    expect(await w.apply.execute(downgrade)).toBe('deferred');
    expect(await w.p.billingEvents.find(downgrade.eventId)).toBeNull();
    expect(await w.apply.execute(again)).toBe('applied');
    expect(await w.apply.execute(downgrade)).toBe('applied');
    expect(await w.p.orgs.findById(org.id)).toMatchObject({ status: 'active', plan: 'starter', billingSubscriptionId: again.subscriptionId });
  });

  it('ignores an out-of-order subscription update (older than the state applied) but records it', async () => {
    const w = billingWorld(store.persistence);
    const event = checkoutEvent({ planId: 'starter' });
    await w.apply.execute(event);
    const base = { kind: 'subscription_updated' as const, customerId: event.customerId, subscriptionId: event.subscriptionId };
    const newer = { ...base, eventId: uniqueId('evt'), occurredAt: new Date('2030-01-01T02:00:00.000Z'), planId: 'enterprise' as const, state: 'active' as const };
    const older = { ...base, eventId: uniqueId('evt'), occurredAt: new Date('2030-01-01T01:00:00.000Z'), planId: 'starter' as const, state: 'past_due' as const };
    expect(await w.apply.execute(newer)).toBe('applied');
    expect(await w.apply.execute(older)).toBe('stale');
    expect(await w.p.orgs.findByBillingCustomerId(event.customerId)).toMatchObject({ plan: 'enterprise', status: 'active', billingUpdatedAt: newer.occurredAt });
    expect(await w.p.billingEvents.find(older.eventId)).not.toBeNull();
  });

  it('moves to past_due on a failed payment and mails every admin once; a later payment makes it active again', async () => {
    const w = billingWorld(store.persistence);
    const event = checkoutEvent();
    await w.apply.execute(event);
    const org = (await w.p.orgs.findByBillingCustomerId(event.customerId))!;
    const second = User.create({ id: uniqueId('user'), email: `${uniqueId('admin')}@example.com`.toLowerCase(), name: 'Grace', now: w.clock.now() });
    const plain = User.create({ id: uniqueId('user'), email: `${uniqueId('member')}@example.com`.toLowerCase(), now: w.clock.now() });
    for (const [u, role] of [[second, 'admin'], [plain, 'member']] as const) {
      await w.p.users.save(u);
      await w.p.memberships.save(Membership.create({ id: uniqueId('m'), tenantId: org.id, userId: u.id, role, now: w.clock.now() }));
    }
    const failed = { kind: 'payment_failed' as const, eventId: uniqueId('evt'), occurredAt: new Date('2030-01-02T00:00:00.000Z'), customerId: event.customerId, subscriptionId: event.subscriptionId, amountDue: 2900, currency: 'usd' };
    expect(await w.apply.execute(failed)).toBe('applied');
    expect(await w.apply.execute(failed)).toBe('duplicate');
    expect((await w.p.orgs.findById(org.id))?.status).toBe('past_due');
    const toOwner = (await w.p.outbox.listRecent(event.email)).filter((m) => m.template === 'payment_failed');
    const toSecond = (await w.p.outbox.listRecent(second.email)).filter((m) => m.template === 'payment_failed');
    expect(toOwner).toHaveLength(1);
    expect(toSecond).toHaveLength(1);
    expect(toSecond[0]?.data).toEqual({ link: `${PUBLIC_URL}/organizations/${org.slug}/billing`, organizationName: org.name, name: 'Grace', amount: '$29.00' });
    expect(await w.p.outbox.listRecent(plain.email)).toEqual([]);

    const paid = { kind: 'payment_succeeded' as const, eventId: uniqueId('evt'), occurredAt: new Date('2030-01-03T00:00:00.000Z'), customerId: event.customerId, subscriptionId: event.subscriptionId };
    expect(await w.apply.execute(paid)).toBe('applied');
    expect((await w.p.orgs.findById(org.id))?.status).toBe('active');
  });

  it('archives on subscription deletion (sign-in then refused with TENANT_ARCHIVED, data kept); a late payment does not revive it', async () => {
    const w = billingWorld(store.persistence);
    const event = checkoutEvent();
    await w.apply.execute(event);
    const org = (await w.p.orgs.findByBillingCustomerId(event.customerId))!;
    const deleted = { kind: 'subscription_deleted' as const, eventId: uniqueId('evt'), occurredAt: new Date('2030-02-01T00:00:00.000Z'), customerId: event.customerId, subscriptionId: event.subscriptionId };
    expect(await w.apply.execute(deleted)).toBe('applied');
    const archived = (await w.p.orgs.findById(org.id))!;
    expect(archived.status).toBe('archived');
    let refusal: unknown = null;
    try {
      assertSignInAllowed(archived.status);
    } catch (error) {
      refusal = error;
    }
    expect(isDomainError(refusal) ? (refusal as DomainError).code : refusal).toBe('TENANT_ARCHIVED');
    expect(await w.p.memberships.listByTenant(org.id)).toHaveLength(1);
    const late = { kind: 'payment_succeeded' as const, eventId: uniqueId('evt'), occurredAt: new Date('2030-02-02T00:00:00.000Z'), customerId: event.customerId, subscriptionId: event.subscriptionId };
    expect(await w.apply.execute(late)).toBe('applied');
    expect((await w.p.orgs.findById(org.id))?.status).toBe('archived');
  });

  it('records unknown events; an event of an unknown customer changes nothing and is not recorded, so a redelivery applies once the customer is known', async () => {
    const w = billingWorld(store.persistence);
    const ignored = { kind: 'ignored' as const, eventId: uniqueId('evt'), occurredAt: w.clock.now(), type: 'charge.refunded' };
    expect(await w.apply.execute(ignored)).toBe('ignored');
    expect(await w.apply.execute(ignored)).toBe('duplicate');
    const stranger = { kind: 'payment_succeeded' as const, eventId: uniqueId('evt'), occurredAt: w.clock.now(), customerId: uniqueId('cus'), subscriptionId: null };
    expect(await w.apply.execute(stranger)).toBe('unknown_customer');
    expect(await w.p.billingEvents.find(stranger.eventId)).toBeNull();

    // The subscription's update arrives before the checkout that creates its organization.
    const checkout = checkoutEvent({ planId: 'starter' });
    const early = { kind: 'subscription_updated' as const, eventId: uniqueId('evt'), occurredAt: new Date(checkout.occurredAt.getTime() + 5_000), customerId: checkout.customerId, subscriptionId: checkout.subscriptionId, planId: 'professional' as const, state: 'past_due' as const };
    expect(await w.apply.execute(early)).toBe('unknown_customer');
    expect(await w.apply.execute(checkout)).toBe('applied');
    expect(await w.apply.execute(early)).toBe('applied');
    expect(await w.p.orgs.findByBillingCustomerId(checkout.customerId)).toMatchObject({ plan: 'professional', status: 'past_due' });
  });

  it('applies a re-subscription checkout even after a newer event of the subscription it replaces, and then the new subscription\'s events', async () => {
    const w = billingWorld(store.persistence);
    const { first, org } = await archivedOrganization(w);
    w.clock.advance(60);
    const upgrade = { ...checkoutEvent({ planId: 'enterprise', organizationId: org.id, occurredAt: w.clock.now() }), customerId: first.customerId };
    // A late invoice of the old subscription, 5 s after the new checkout, is delivered first.
    const renewal = { kind: 'payment_succeeded' as const, eventId: uniqueId('evt'), occurredAt: new Date(upgrade.occurredAt.getTime() + 5_000), customerId: first.customerId, subscriptionId: first.subscriptionId };
    expect(await w.apply.execute(renewal)).toBe('applied');
    expect(await w.apply.execute(upgrade)).toBe('applied');
    expect(await w.p.orgs.findById(org.id)).toMatchObject({ plan: 'enterprise', billingSubscriptionId: upgrade.subscriptionId, status: 'active' });
    const updated = { kind: 'subscription_updated' as const, eventId: uniqueId('evt'), occurredAt: new Date(upgrade.occurredAt.getTime() + 1_000), customerId: first.customerId, subscriptionId: upgrade.subscriptionId, planId: 'enterprise' as const, state: 'active' as const };
    expect(await w.apply.execute(updated)).toBe('applied');
  });

  it('completes the profile step when the owner activates with a name, and invite_member through the tracker', async () => {
    const w = billingWorld(store.persistence);
    const event = checkoutEvent();
    await w.apply.execute(event);
    const org = (await w.p.orgs.findByBillingCustomerId(event.customerId))!;
    const [mail] = await w.p.outbox.listRecent(event.email);
    const token = new URL(mail!.data['link']!).searchParams.get('token')!;
    const activated = await w.identity.completeActivation(token, 'correct horse battery staple', 'Ada Owner');
    expect(activated.tenantId).toBe(org.id);
    await w.tracker.stepDone(activated.tenantId, 'profile');
    await w.tracker.stepDone(org.id, 'invite_member');
    await w.tracker.stepDone(uniqueId('deleted-org'), 'profile');
    expect((await w.p.onboarding.find(org.id))?.completedSteps).toEqual(['profile', 'invite_member']);
  });
});

describe(`ApplyBillingEvent, concurrent checkouts for one new email [${postgresLabel()}]`, () => {
  let store: TestPersistence;
  beforeAll(async () => {
    store = await postgresPersistence();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('provisions both: the one whose owner insert collides runs once more and finds the owner', async () => {
    for (let round = 0; round < 5; round++) {
      const w = billingWorld(store.persistence);
      const email = `${uniqueId('twice')}@example.com`.toLowerCase();
      const [a, b] = [checkoutEvent({ email }), checkoutEvent({ email })];
      expect(await Promise.all([w.apply.execute(a), w.apply.execute(b)])).toEqual(['applied', 'applied']);
      const owner = await w.p.users.findByEmail(email);
      expect(await w.p.memberships.listByUser(owner!.id)).toHaveLength(2);
    }
  });
});
