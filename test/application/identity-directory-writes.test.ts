import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import type { IdentityDirectory } from '../../src/application/ports/identity-directory.port.js';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import type { MembershipAdmission } from '../../src/application/services/membership-admission.js';
import type { Principal } from '../../src/application/services/request-meta.js';
import type { ApplyBillingEvent } from '../../src/application/use-cases/apply-billing-event.js';
import { Organization } from '../../src/domain/tenancy/organization.js';
import { User } from '../../src/domain/tenancy/user.js';
import { loadConfig } from '../../src/infrastructure/config/load-config.js';
import { T } from '../../src/infrastructure/di/tokens.js';
import { createGatehouse, type Gatehouse } from '../../src/infrastructure/server/gatehouse.js';
import { StytchEmulator } from '../fakes/stytch-emulator.js';
import { TestClock } from '../support/test-clock.js';
import { checkoutEvent } from './billing-world.js';

class InjectedFailure extends Error {}

const META = { ip: '127.0.0.1', userAgent: 'test' };
const ROLE_MAP = 'stytch_admin=admin,gatehouse_manager=manager,stytch_member=member';

let emulator: StytchEmulator;
const open: Gatehouse[] = [];

beforeAll(async () => {
  emulator = await StytchEmulator.start();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((g) => g.close()));
});
afterAll(async () => {
  await emulator.stop();
});

/** Makes the next writes of one repository method fail while `fail()` says so: the database failing midway. */
function failing<K extends keyof Persistence>(p: Persistence, repository: K, method: string, fail: () => boolean): Persistence {
  const original = p[repository] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const wrapped = Object.create(original) as Record<string, (...args: unknown[]) => Promise<unknown>>;
  wrapped[method] = async (...args: unknown[]) => {
    if (fail()) throw new InjectedFailure(`connection lost during ${String(repository)}.${method}`);
    return original[method]!.apply(original, args);
  };
  return { ...p, [repository]: wrapped };
}

/**
 * Gatehouse wired by the real composition root, over an in-memory store, with Stytch (its emulator,
 * reached by the real SDK) as the identity provider — or with the built-in one.
 */
async function world(options: { provider?: 'stytch' | 'builtin'; wrap?: (p: Persistence) => Persistence } = {}) {
  emulator.reset();
  const p = createInMemoryPersistence();
  const config = loadConfig({
    NODE_ENV: 'test',
    PASSWORD_HASH_PARAMS: 'test_only_n10r8p1',
    LOG_LEVEL: 'silent',
    ...(options.provider === 'builtin'
      ? {}
      : { ...emulator.gatehouseEnv('whsec_ZGlyZWN0b3J5LXRlc3Qtc2VjcmV0LTAxMjM0NTY3ODk='), STYTCH_ROLE_MAP: ROLE_MAP }),
  });
  const gatehouse = await createGatehouse({ config, logger: pino({ level: 'silent' }), persistence: options.wrap ? options.wrap(p) : p, clock: new TestClock() });
  open.push(gatehouse);
  const { organizations, members } = gatehouse.deps;

  /** A person with an account (active, email verified), as the mirror would hold them after a sign-in. */
  async function person(email = `${randomUUID().slice(0, 8)}@acme.test`): Promise<{ user: User; principal: Principal }> {
    const user = User.create({ id: randomUUID(), email, name: email.split('@')[0]!, status: 'active', now: new Date() });
    user.emailVerifiedAt = new Date();
    await p.users.save(user);
    return { user, principal: { userId: user.id, sessionId: randomUUID(), tenantId: null, membershipId: null, roles: [], amr: ['pwd'] } };
  }

  /** An organization created by `admin` through ManageOrganizations: at Stytch and locally. */
  async function organization(admin: Principal, slug = `acme-${randomUUID().slice(0, 6)}`) {
    const { org, membership } = await organizations.create(admin.userId, { name: 'Acme Boats', slug }, META);
    const link = await p.identityLinks.findByLocal('organization', org.id);
    return { org, membership, organizationId: link?.externalId ?? '' };
  }

  return { p, gatehouse, organizations, members, person, organization };
}

const externalIdOf = async (p: Persistence, kind: 'organization' | 'member', localId: string) => (await p.identityLinks.findByLocal(kind, localId))?.externalId ?? null;
const since = (mark: number) => emulator.requests.slice(mark).map((r) => `${r.method} ${r.path}`);
const roleIds = (member: { roles: Array<{ role_id: string }> } | null) => member?.roles.map((r) => r.role_id).sort() ?? null;

describe('organization writes with Stytch as the identity provider', () => {
  it('creates the organization at Stytch, then locally, with organization and admin linked both ways', async () => {
    const w = await world();
    const { user, principal } = await w.person('ada@acme.test');
    const { org, membership } = await w.organizations.create(principal.userId, { name: 'Acme Boats', slug: 'acme-boats' }, META);

    const stytchOrg = emulator.organizationBySlug('acme-boats');
    expect(stytchOrg).toMatchObject({ organization_name: 'Acme Boats', organization_external_id: org.id });
    expect(await w.p.identityLinks.findByLocal('organization', org.id)).toMatchObject({ externalId: stytchOrg?.organization_id, tenantId: org.id, deletedAt: null });
    const memberId = await externalIdOf(w.p, 'member', membership.id);
    expect(emulator.member(stytchOrg!.organization_id, memberId!)).toMatchObject({ email_address: user.email, status: 'active' });
    expect(roleIds(emulator.member(stytchOrg!.organization_id, memberId!))).toEqual(['stytch_admin', 'stytch_member']);
    expect(w.gatehouse.container.get<IdentityDirectory>(T.IdentityDirectory).external).toBe(true);
  });

  it('writes nothing locally when Stytch is unavailable', async () => {
    const w = await world();
    const { principal } = await w.person();
    emulator.failNext('/v1/b2b/organizations', { status: 500, errorType: 'internal_server_error' });
    await expect(w.organizations.create(principal.userId, { name: 'Acme Boats', slug: 'acme-down' }, META)).rejects.toMatchObject({ code: 'IDENTITY_PROVIDER_UNAVAILABLE' });
    expect(await w.p.orgs.findBySlug('acme-down')).toBeNull();
    expect(await w.p.memberships.listByUser(principal.userId)).toEqual([]);
    expect(emulator.organizationBySlug('acme-down')).toBeNull();
  });

  it('deletes the Stytch organization again when the local commit fails after Stytch created it', async () => {
    let fail = false;
    const w = await world({ wrap: (p) => failing(p, 'memberships', 'save', () => fail) });
    const { principal } = await w.person();
    fail = true;
    const mark = emulator.requests.length;
    await expect(w.organizations.create(principal.userId, { name: 'Acme Boats', slug: 'acme-midway' }, META)).rejects.toBeInstanceOf(InjectedFailure);
    expect(since(mark)).toEqual(['POST /v1/b2b/organizations', expect.stringMatching(/^POST \/v1\/b2b\/organizations\/.+\/members$/), expect.stringMatching(/^DELETE \/v1\/b2b\/organizations\/[^/]+$/)]);
    expect(emulator.organizationBySlug('acme-midway')).toBeNull();
    expect(await w.p.orgs.findBySlug('acme-midway')).toBeNull();
  });

  it('never asks Stytch for a slug the local store holds; a generated one is retried with a suffix', async () => {
    const w = await world();
    const { principal } = await w.person();
    // Held locally only (made before Stytch mode, say).
    await w.p.orgs.save(Organization.create({ id: randomUUID(), slug: 'harbor-point', name: 'Old', now: new Date() }));
    const mark = emulator.requests.length;
    await expect(w.organizations.create(principal.userId, { name: 'Harbor Point', slug: 'harbor-point' }, META)).rejects.toMatchObject({ code: 'TENANT_SLUG_TAKEN' });
    expect(since(mark)).toEqual([]);

    const { org } = await w.organizations.create(principal.userId, { name: 'Harbor Point' }, META);
    expect(org.slug).toMatch(/^harbor-point-[0-9a-f]{6}$/);
    expect(emulator.organizationBySlug('harbor-point')).toBeNull();
    expect(emulator.organizationBySlug(org.slug)?.organization_id).toBe(await externalIdOf(w.p, 'organization', org.id));
  });

  it('retries a generated slug Stytch holds with a suffix', async () => {
    const w = await world();
    const { principal } = await w.person();
    emulator.seedOrganization({ name: 'Elsewhere', slug: 'bay-club' });
    const { org } = await w.organizations.create(principal.userId, { name: 'Bay Club' }, META);
    expect(org.slug).toMatch(/^bay-club-[0-9a-f]{6}$/);
    expect(emulator.organizationBySlug('bay-club')?.organization_name).toBe('Elsewhere');
    expect(emulator.organizationBySlug(org.slug)?.organization_id).toBe(await externalIdOf(w.p, 'organization', org.id));
  });

  it('updates Stytch first (name, slug, MFA policy, JIT domains) and records the state it answered', async () => {
    const w = await world();
    const { principal } = await w.person();
    const { org, organizationId } = await w.organization(principal);
    await w.organizations.update(principal, org.id, { name: 'Acme Ships', slug: 'acme-ships', policy: { mfaRequired: true, allowedEmailDomains: ['acme.test'] } }, META);
    expect(emulator.organization(organizationId)).toMatchObject({
      organization_name: 'Acme Ships',
      organization_slug: 'acme-ships',
      mfa_policy: 'REQUIRED_FOR_ALL',
      email_allowed_domains: ['acme.test'],
      email_jit_provisioning: 'RESTRICTED',
    });
    expect((await w.p.orgs.findById(org.id))?.slug).toBe('acme-ships');
    const link = await w.p.identityLinks.findByLocal('organization', org.id);
    expect(link?.sourceUpdatedAt?.toISOString()).toBe(emulator.organization(organizationId)?.updated_at);

    // A change Stytch does not keep (allowed auth methods) does not call it. MFA is required now, so the
    // change comes from a session inside the organization (one from outside would answer MFA_REQUIRED).
    const mark = emulator.requests.length;
    await w.organizations.update({ ...principal, tenantId: org.id }, org.id, { policy: { allowedAuthMethods: ['password'] } }, META);
    expect(since(mark)).toEqual([]);
  });

  it('keeps the local organization unchanged when Stytch refuses the update', async () => {
    const w = await world();
    const { principal } = await w.person();
    const { org } = await w.organization(principal);
    emulator.seedOrganization({ name: 'Other', slug: 'taken-at-stytch' });
    await expect(w.organizations.update(principal, org.id, { slug: 'taken-at-stytch' }, META)).rejects.toMatchObject({ code: 'TENANT_SLUG_TAKEN' });
    expect((await w.p.orgs.findById(org.id))?.slug).toBe(org.slug);
  });

  it('deletes the organization at Stytch, then locally', async () => {
    const w = await world();
    const { principal } = await w.person();
    const { org, organizationId } = await w.organization(principal);
    await w.organizations.delete(principal, org.id, META);
    expect(emulator.organization(organizationId)).toBeNull();
    expect(await w.p.orgs.findById(org.id)).toBeNull();
  });
});

describe('member writes with Stytch as the identity provider', () => {
  it('invites a person with an account: Stytch invites the member with the mapped role, linked, and sends its own invitation', async () => {
    const w = await world();
    const { principal } = await w.person();
    const { org, organizationId } = await w.organization(principal);
    const { user } = await w.person('mia@acme.test');
    const { membership } = await w.members.add(principal, org.id, { email: 'mia@acme.test', role: 'manager' }, META);
    expect(membership).toMatchObject({ userId: user.id, role: 'manager', status: 'invited' });
    const memberId = await externalIdOf(w.p, 'member', membership.id);
    expect(emulator.member(organizationId, memberId!)).toMatchObject({ email_address: 'mia@acme.test', status: 'invited' });
    expect(emulator.lastMagicLinkToken('mia@acme.test')).not.toBeNull();
    expect(roleIds(emulator.member(organizationId, memberId!))).toEqual(['gatehouse_manager', 'stytch_member']);
  });

  it('has Stytch invite a person without an account; the invited membership is linked to the invited member', async () => {
    const w = await world();
    const { principal } = await w.person();
    const { org, organizationId } = await w.organization(principal);
    const { membership, user } = await w.members.add(principal, org.id, { email: 'ivy@acme.test', role: 'member' }, META);
    expect({ user: user.status, membership: membership.status }).toEqual({ user: 'invited', membership: 'invited' });
    expect(emulator.memberByEmail(organizationId, 'ivy@acme.test')).toMatchObject({ member_id: await externalIdOf(w.p, 'member', membership.id), status: 'invited' });
    expect(emulator.lastMagicLinkToken('ivy@acme.test')).not.toBeNull();
  });

  it('removes the Stytch member again when the local commit fails after Stytch added it', async () => {
    let fail = false;
    const w = await world({ wrap: (p) => failing(p, 'memberships', 'save', () => fail) });
    const { principal } = await w.person();
    const { org, organizationId } = await w.organization(principal);
    fail = true;
    await expect(w.members.add(principal, org.id, { email: 'bob@acme.test', role: 'member' }, META)).rejects.toBeInstanceOf(InjectedFailure);
    expect(emulator.memberByEmail(organizationId, 'bob@acme.test')).toBeNull();
    expect(await w.p.users.findByEmail('bob@acme.test')).toBeNull();
    expect(since(0)).toContainEqual(expect.stringMatching(/^DELETE \/v1\/b2b\/organizations\/.+\/members\/.+$/));
  });

  it('refuses an existing member or a full plan before Stytch hears of it', async () => {
    const w = await world();
    const { principal } = await w.person();
    const { org } = await w.organization(principal);
    await w.members.add(principal, org.id, { email: 'bob@acme.test', role: 'member' }, META);
    let mark = emulator.requests.length;
    await expect(w.members.add(principal, org.id, { email: 'bob@acme.test', role: 'member' }, META)).rejects.toMatchObject({ code: 'MEMBER_ALREADY_EXISTS' });
    expect(since(mark)).toEqual([]);

    for (const n of [1, 2, 3]) await w.members.add(principal, org.id, { email: `m${n}@acme.test`, role: 'member' }, META);
    mark = emulator.requests.length;
    // The free plan has 5 seats, all taken now; no invitation email may go out for a sixth.
    await expect(w.members.add(principal, org.id, { email: 'sixth@acme.test', role: 'member' }, META)).rejects.toMatchObject({ code: 'ENTITLEMENT_EXCEEDED' });
    expect(since(mark)).toEqual([]);
    expect(emulator.lastMagicLinkToken('sixth@acme.test')).toBeNull();
  });

  it('changes a role at Stytch first; sets it back there when the local commit fails', async () => {
    let fail = false;
    const w = await world({ wrap: (p) => failing(p, 'memberships', 'save', () => fail) });
    const { principal } = await w.person();
    const { org, organizationId } = await w.organization(principal);
    await w.person('bob@acme.test');
    const { membership } = await w.members.add(principal, org.id, { email: 'bob@acme.test', role: 'member' }, META);
    const memberId = (await externalIdOf(w.p, 'member', membership.id))!;

    await w.members.changeRole(principal, org.id, membership.id, { role: 'manager' }, META);
    expect(roleIds(emulator.member(organizationId, memberId))).toEqual(['gatehouse_manager', 'stytch_member']);
    expect((await w.p.memberships.findById(org.id, membership.id))?.role).toBe('manager');
    expect((await w.p.identityLinks.findByLocal('member', membership.id))?.sourceUpdatedAt?.toISOString()).toBe(emulator.member(organizationId, memberId)?.updated_at);

    fail = true;
    await expect(w.members.changeRole(principal, org.id, membership.id, { role: 'admin' }, META)).rejects.toBeInstanceOf(InjectedFailure);
    expect(roleIds(emulator.member(organizationId, memberId))).toEqual(['gatehouse_manager', 'stytch_member']);
    expect((await w.p.memberships.findById(org.id, membership.id))?.role).toBe('manager');
  });

  it('refuses to demote or remove the last admin before Stytch hears of it', async () => {
    const w = await world();
    const { principal } = await w.person();
    const { org, membership, organizationId } = await w.organization(principal);
    const mark = emulator.requests.length;
    await expect(w.members.changeRole(principal, org.id, membership.id, { role: 'member' }, META)).rejects.toMatchObject({ code: 'MEMBER_LAST_ADMIN' });
    await expect(w.members.remove(principal, org.id, membership.id, META)).rejects.toMatchObject({ code: 'MEMBER_LAST_ADMIN' });
    expect(since(mark)).toEqual([]);
    expect(roleIds(emulator.member(organizationId, (await externalIdOf(w.p, 'member', membership.id))!))).toEqual(['stytch_admin', 'stytch_member']);
  });

  it('removes a member at Stytch, then locally, leaving a tombstone link', async () => {
    const w = await world();
    const { principal } = await w.person();
    const { org, organizationId } = await w.organization(principal);
    const { membership } = await w.members.add(principal, org.id, { email: 'bob@acme.test', role: 'member' }, META);
    const memberId = (await externalIdOf(w.p, 'member', membership.id))!;
    await w.members.remove(principal, org.id, membership.id, META);
    expect(emulator.member(organizationId, memberId)).toBeNull();
    expect(await w.p.memberships.findById(org.id, membership.id)).toBeNull();
    expect((await w.p.identityLinks.findByExternal('member', memberId))?.deletedAt).toBeInstanceOf(Date);
  });

  it('lets a person join by email domain (JIT) as a Stytch member too, and undoes it when the local commit fails', async () => {
    let fail = false;
    const w = await world({ wrap: (p) => failing(p, 'memberships', 'save', () => fail) });
    const { principal } = await w.person();
    const { org, organizationId } = await w.organization(principal);
    await w.organizations.update(principal, org.id, { policy: { allowedEmailDomains: ['acme.test'] } }, META);
    const admission = w.gatehouse.container.get<MembershipAdmission>(T.MembershipAdmission);
    const joined = (await w.p.orgs.findById(org.id))!;

    const { user: jo } = await w.person('jo@acme.test');
    fail = true;
    await expect(admission.admit(jo, joined, ['email'])).rejects.toBeInstanceOf(InjectedFailure);
    expect(emulator.memberByEmail(organizationId, 'jo@acme.test')).toBeNull();
    fail = false;

    const membership = await admission.admit(jo, joined, ['email']);
    expect(membership).toMatchObject({ role: 'member', status: 'active' });
    expect(emulator.memberByEmail(organizationId, 'jo@acme.test')).toMatchObject({ member_id: await externalIdOf(w.p, 'member', membership.id), status: 'active' });
  });
});

describe('provisioning with Stytch as the identity provider', () => {
  it('creates the paid organization at Stytch with its owner invited, linked in the same unit of work', async () => {
    const w = await world();
    const apply = w.gatehouse.container.get<ApplyBillingEvent>(T.ApplyBillingEvent);
    const event = checkoutEvent({ organizationName: 'Harbor Point HOA' });
    expect(await apply.execute(event)).toBe('applied');
    const org = (await w.p.orgs.findByBillingCustomerId(event.customerId))!;
    const organizationId = (await externalIdOf(w.p, 'organization', org.id))!;
    expect(emulator.organization(organizationId)).toMatchObject({ organization_slug: org.slug, organization_external_id: org.id });
    const owner = emulator.memberByEmail(organizationId, event.email);
    expect(owner).toMatchObject({ status: 'invited' });
    expect(roleIds(owner)).toEqual(['stytch_admin', 'stytch_member']);
    expect(emulator.lastMagicLinkToken(event.email)).not.toBeNull();
    const [membership] = await w.p.memberships.listByTenant(org.id);
    expect(await externalIdOf(w.p, 'member', membership!.id)).toBe(owner?.member_id);
  });

  it('deletes the Stytch organization again when provisioning fails midway, or its unit of work does not commit', async () => {
    // How many of the next saves fail, per repository.
    const failures = { memberships: 0, checkouts: 0 };
    const w = await world({
      wrap: (p) => failing(failing(p, 'memberships', 'save', () => failures.memberships-- > 0), 'billingCheckouts', 'save', () => failures.checkouts-- > 0),
    });
    const apply = w.gatehouse.container.get<ApplyBillingEvent>(T.ApplyBillingEvent);

    failures.memberships = 1;
    const first = checkoutEvent({ organizationName: 'Midway Marina' });
    await expect(apply.execute(first)).rejects.toBeInstanceOf(InjectedFailure);
    expect(emulator.organizationBySlug('midway-marina')).toBeNull();

    // Provisioning returned; the write after it (the checkout row) fails and the unit of work rolls back.
    failures.checkouts = 1;
    const second = checkoutEvent({ organizationName: 'Late Lagoon' });
    await expect(apply.execute(second)).rejects.toBeInstanceOf(InjectedFailure);
    expect(emulator.organizationBySlug('late-lagoon')).toBeNull();
    expect(await w.p.orgs.findByBillingCustomerId(second.customerId)).toBeNull();

    // The redelivery provisions it once.
    expect(await apply.execute(second)).toBe('applied');
    expect(emulator.organizationBySlug('late-lagoon')).not.toBeNull();
  });
});

describe('with the built-in identity provider', () => {
  it('writes no identity links and calls no directory (the local store is the directory)', async () => {
    const w = await world({ provider: 'builtin' });
    const { principal } = await w.person();
    const mark = emulator.requests.length;
    const { org, membership } = await w.organizations.create(principal.userId, { name: 'Acme Boats' }, META);
    const { membership: added } = await w.members.add(principal, org.id, { email: 'bob@acme.test', role: 'member' }, META);
    expect(w.gatehouse.container.get<IdentityDirectory>(T.IdentityDirectory).external).toBe(false);
    for (const id of [membership.id, added.id]) expect(await w.p.identityLinks.findByLocal('member', id)).toBeNull();
    expect(await w.p.identityLinks.findByLocal('organization', org.id)).toBeNull();
    expect(since(mark)).toEqual([]);
  });
});
