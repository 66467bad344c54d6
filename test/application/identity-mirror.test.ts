import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExternalMember, ExternalOrganization } from '../../src/application/ports/identity-directory.port.js';
import type { InvalidationBus } from '../../src/application/ports/invalidation-bus.port.js';
import type { MembershipRepository } from '../../src/application/ports/membership-repository.port.js';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import { AuditRecorder } from '../../src/application/services/audit-recorder.js';
import { IdentityMirror } from '../../src/application/services/identity-mirror.js';
import { Session } from '../../src/domain/credentials/session.js';
import { type ErrorCode, isDomainError } from '../../src/domain/shared/domain-error.js';
import type { Membership } from '../../src/domain/tenancy/membership.js';
import { Organization } from '../../src/domain/tenancy/organization.js';
import { User } from '../../src/domain/tenancy/user.js';
import { TestClock } from '../support/test-clock.js';
import { inMemoryPersistence, pglitePersistence, postgresLabel, postgresPersistence, type TestPersistence } from '../support/test-database.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

class InjectedFailure extends Error {}

/** The mirror over a real store, with a bus that records what was published and when. */
function mirrorWorld(p: Persistence) {
  const clock = new TestClock(at(1000));
  const published: string[] = [];
  const bus: InvalidationBus = { publish: async (m) => void published.push(`${m.topic}:${m.id}`), subscribe: () => () => undefined };
  const mirror = new IdentityMirror({
    orgs: p.orgs, users: p.users, memberships: p.memberships, sessions: p.sessions, links: p.identityLinks, uow: p.uow, bus, audit: new AuditRecorder({ audit: p.audit, clock }), clock,
  });
  return { p, clock, published, mirror };
}

function stytchOrg(input: Partial<ExternalOrganization> = {}): ExternalOrganization {
  const slug = unique('acme');
  return { externalId: `organization-test-${randomUUID()}`, name: 'Acme Boats', slug, mfaRequired: false, emailAllowedDomains: [], updatedAt: at(10), ...input };
}

function stytchMember(org: ExternalOrganization, input: Partial<ExternalMember> = {}): ExternalMember {
  return {
    externalId: `member-test-${randomUUID()}`, externalOrganizationId: org.externalId, email: `${unique('ada')}@acme.test`, name: 'Ada', role: 'member', status: 'active', emailVerified: true, updatedAt: at(10), ...input,
  };
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error: unknown = await promise.then(() => null, (e: unknown) => e);
  expect(isDomainError(error) ? error.code : error).toBe(code);
}

/** Starts a session of the member, as sign-in would. */
async function signedIn(p: Persistence, membership: Membership, now: Date): Promise<Session> {
  const session = Session.start({
    id: randomUUID(), userId: membership.userId, tenantId: membership.tenantId, membershipId: membership.id, amr: ['email'], userAgent: 'vitest', ip: null, now, lifetimes: { idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 86_400 },
  });
  await p.sessions.create(session, randomUUID().replaceAll('-', ''));
  return session;
}

const stores: [string, () => Promise<TestPersistence>][] = [
  ['in-memory', inMemoryPersistence],
  ['PGlite', pglitePersistence],
  // Real concurrency (five transactions at once): the lost races of the mirror are retried here.
  [postgresLabel(), () => postgresPersistence()],
];

describe.each(stores)('IdentityMirror [%s]', (_name, make) => {
  let store: TestPersistence;
  beforeAll(async () => {
    store = await make();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  describe('organizations', () => {
    it('creates an active organization with the provider slug, name and MFA policy, linked with its updatedAt, audited', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg({ mfaRequired: true, emailAllowedDomains: ['Acme.test'] });
      const org = await w.mirror.syncOrganization(ext);
      expect([org.status, org.slug, org.name, org.policy.mfaRequired, org.policy.allowedEmailDomains]).toEqual(['active', ext.slug, 'Acme Boats', true, ['acme.test']]);
      expect(await w.p.orgs.findById(org.id)).toMatchObject({ slug: ext.slug, status: 'active' });
      expect(await w.p.identityLinks.findByExternal('organization', ext.externalId)).toEqual({
        kind: 'organization', externalId: ext.externalId, localId: org.id, tenantId: org.id, sourceUpdatedAt: at(10), deletedAt: null,
      });
      expect((await w.p.audit.list(org.id, { limit: 5 })).events.map((e) => [e.action, e.actorUserId, e.metadata['source']])).toEqual([['organization.created', null, 'identity_provider']]);
      expect(await w.mirror.localOrganizationId(ext.externalId)).toBe(org.id);
      expect(await w.mirror.externalOrganizationId(org.id)).toBe(ext.externalId);
      // The same state again changes nothing and creates nothing.
      expect((await w.mirror.syncOrganization(ext)).id).toBe(org.id);
    });

    it('renames, re-slugs and changes the MFA policy on a newer state, and ignores an older one', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const org = await w.mirror.syncOrganization(ext);
      const newer = { ...ext, name: 'Acme Marine', slug: unique('acme-marine'), mfaRequired: true, updatedAt: at(20) };
      w.published.length = 0;
      expect(await w.mirror.syncOrganization(newer)).toMatchObject({ id: org.id, name: 'Acme Marine', slug: newer.slug });
      expect(w.published).toContain(`tenant:${org.id}`);
      const older = { ...ext, name: 'Acme Old', slug: unique('acme-old'), updatedAt: at(15) };
      expect(await w.mirror.syncOrganization(older)).toMatchObject({ name: 'Acme Marine', slug: newer.slug });
      expect(await w.p.orgs.findById(org.id)).toMatchObject({ name: 'Acme Marine', slug: newer.slug, policy: { mfaRequired: true } });
      expect((await w.p.identityLinks.findByExternal('organization', ext.externalId))?.sourceUpdatedAt).toEqual(at(20));
    });

    it("derives a free slug when an unlinked local organization holds the provider's, and keeps its own slug when a rename collides", async () => {
      const w = mirrorWorld(store.persistence);
      const local = Organization.create({ id: randomUUID(), slug: unique('harbor'), name: 'Harbor (built-in)', now: T0 });
      await w.p.orgs.save(local);
      const ext = stytchOrg({ slug: local.slug });
      const org = await w.mirror.syncOrganization(ext);
      expect(org.slug).toMatch(new RegExp(`^${local.slug}-[0-9a-f]{8}$`));
      expect((await w.p.orgs.findById(local.id))?.name).toBe('Harbor (built-in)');
      // The provider renames it to another slug held locally: the mirrored organization keeps its slug, the rest applies.
      const renamed = await w.mirror.syncOrganization({ ...ext, name: 'Harbor Two', slug: local.slug.toUpperCase(), updatedAt: at(30) });
      expect([renamed.slug, renamed.name]).toEqual([org.slug, 'Harbor Two']);
      // Stytch's alphabet is wider than Gatehouse's: normalized, and reserved words avoided.
      expect((await w.mirror.syncOrganization(stytchOrg({ slug: 'api' }))).slug).toMatch(/^org-api/);
      const tag = unique('dock').slice(5).toLowerCase();
      expect((await w.mirror.syncOrganization(stytchOrg({ slug: `Dock_${tag}.Yard~X` }))).slug).toBe(`dock-${tag}-yard-x`);
    });
  });

  describe('members', () => {
    it('creates an active user without a password, a membership with the mapped role and a member link; publishes access', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const member = stytchMember(ext, { email: `  ${unique('Grace')}@Acme.TEST `, name: 'Grace Hopper', role: 'manager' });
      const result = await w.mirror.syncMember(member, ext);
      expect(result.user).toMatchObject({ email: member.email.trim().toLowerCase(), name: 'Grace Hopper', passwordHash: null, status: 'active', emailVerifiedAt: at(1000) });
      expect(result.membership).toMatchObject({ tenantId: result.organization.id, userId: result.user.id, role: 'manager', status: 'active' });
      expect(await w.p.identityLinks.findByExternal('member', member.externalId)).toMatchObject({ localId: result.membership!.id, tenantId: result.organization.id, sourceUpdatedAt: at(10), deletedAt: null });
      expect(w.published).toEqual(expect.arrayContaining([`access:${result.organization.id}`, `user:${result.user.id}`]));
      expect(await w.mirror.localMembershipId(member.externalId)).toBe(result.membership!.id);
      expect(await w.mirror.externalMemberId(result.membership!.id)).toBe(member.externalId);
    });

    it('joins an existing account by email and adopts its existing membership; keeps an unverified email unverified', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const org = await w.mirror.syncOrganization(ext);
      const user = User.create({ id: randomUUID(), email: `${unique('lin')}@acme.test`, name: null, passwordHash: 'scrypt$kept', status: 'invited', now: T0 });
      await w.p.users.save(user);
      const member = stytchMember(ext, { email: user.email.toUpperCase(), name: 'Lin', emailVerified: false, role: 'admin' });
      const result = await w.mirror.syncMember(member);
      expect(result.user).toMatchObject({ id: user.id, passwordHash: 'scrypt$kept', status: 'active', name: 'Lin', emailVerifiedAt: null });
      expect(result.membership).toMatchObject({ tenantId: org.id, role: 'admin' });
      expect(await w.p.memberships.listByUser(user.id)).toHaveLength(1);
    });

    it('mirrors an invited member as an invited membership and activates it when the provider does', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const member = stytchMember(ext, { status: 'invited' });
      const invited = await w.mirror.syncMember(member, ext);
      expect(invited.membership?.status).toBe('invited');
      const active = await w.mirror.syncMember({ ...member, status: 'active', updatedAt: at(11) });
      expect(active.membership).toMatchObject({ id: invited.membership!.id, status: 'active' });
    });

    it('refuses a member of an organization it does not hold (TENANT_NOT_FOUND), creating nothing', async () => {
      const w = mirrorWorld(store.persistence);
      const member = stytchMember(stytchOrg());
      await expectCode(w.mirror.syncMember(member), 'TENANT_NOT_FOUND');
      expect(await w.p.users.findByEmail(member.email)).toBeNull();
    });

    it('changes the role on a newer state (audited, access view invalidated) and ignores an older one', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const member = stytchMember(ext);
      const { membership, organization } = await w.mirror.syncMember(member, ext);
      w.published.length = 0;
      expect((await w.mirror.syncMember({ ...member, role: 'admin', updatedAt: at(30) })).membership?.role).toBe('admin');
      expect(w.published).toContain(`access:${organization.id}`);
      expect((await w.mirror.syncMember({ ...member, role: 'viewer', updatedAt: at(20) })).membership?.role).toBe('admin');
      expect((await w.p.memberships.findById(organization.id, membership!.id))?.role).toBe('admin');
      const roleChanges = (await w.p.audit.list(organization.id, { action: 'member.role_changed', limit: 5 })).events;
      expect(roleChanges.map((e) => [e.metadata['from'], e.metadata['to']])).toEqual([['member', 'admin']]);
    });

    it('removes a member: sessions revoked at once (member_removed), membership and grants gone, tombstone; an older update keeps it deleted, a newer one revives it', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const member = stytchMember(ext);
      const { membership, organization, user } = await w.mirror.syncMember(member, ext);
      const session = await signedIn(w.p, membership!, w.clock.now());
      w.published.length = 0;
      await w.mirror.removeMember(member.externalId, at(40));
      expect(await w.p.memberships.findById(organization.id, membership!.id)).toBeNull();
      expect(await w.p.sessions.findById(session.id)).toMatchObject({ revokedReason: 'member_removed', revokedAt: w.clock.now() });
      expect(w.published).toEqual(expect.arrayContaining([`session:${session.id}`, `access:${organization.id}`, `user:${user.id}`]));
      expect(await w.p.identityLinks.findByExternal('member', member.externalId)).toMatchObject({ deletedAt: at(40), sourceUpdatedAt: at(40) });
      expect((await w.p.audit.list(organization.id, { action: 'member.removed', limit: 5 })).events).toHaveLength(1);
      expect(await w.mirror.localMembershipId(member.externalId)).toBeNull();

      // Late deliveries of states before the deletion (or of its own second) do not bring it back.
      expect((await w.mirror.syncMember({ ...member, role: 'admin', updatedAt: at(35) })).membership).toBeNull();
      expect((await w.mirror.syncMember({ ...member, updatedAt: at(40) })).membership).toBeNull();
      await w.mirror.removeMember(member.externalId, at(40));
      expect(await w.p.memberships.findByUser(organization.id, user.id)).toBeNull();
      // A reactivation at the provider (a state after the deletion) does.
      const revived = await w.mirror.syncMember({ ...member, updatedAt: at(50) });
      expect(revived.membership).toMatchObject({ userId: user.id, status: 'active' });
      expect(await w.p.identityLinks.findByExternal('member', member.externalId)).toMatchObject({ deletedAt: null, localId: revived.membership!.id });
    });

    it('treats a member the provider deleted or locked (status removed) as a removal', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const member = stytchMember(ext);
      const { membership, organization } = await w.mirror.syncMember(member, ext);
      const session = await signedIn(w.p, membership!, w.clock.now());
      const locked = await w.mirror.syncMember({ ...member, status: 'removed', updatedAt: at(20) });
      expect(locked.membership).toBeNull();
      expect(await w.p.memberships.findById(organization.id, membership!.id)).toBeNull();
      expect((await w.p.sessions.findById(session.id))?.revokedReason).toBe('member_removed');
      expect((await w.p.identityLinks.findByExternal('member', member.externalId))?.deletedAt).toEqual(at(20));
      // Unlocked later: back, with the role of that state.
      expect((await w.mirror.syncMember({ ...member, role: 'viewer', updatedAt: at(25) })).membership?.role).toBe('viewer');
    });

    it("removes the organization's last admin anyway (the provider is authoritative) and says so in the audit log", async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const admin = stytchMember(ext, { role: 'admin' });
      const { organization } = await w.mirror.syncMember(admin, ext);
      await w.mirror.removeMember(admin.externalId, at(20));
      expect(await w.p.memberships.listByTenant(organization.id)).toEqual([]);
      const [removed] = (await w.p.audit.list(organization.id, { action: 'member.removed', limit: 1 })).events;
      expect(removed?.metadata['lastAdmin']).toBe(true);
    });

    it('applies nothing of a member when a write fails midway: no user, no membership, no link, nothing published', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      await w.mirror.syncOrganization(ext);
      const memberships: MembershipRepository = Object.create(w.p.memberships) as MembershipRepository;
      memberships.save = async () => {
        throw new InjectedFailure('connection lost during the membership insert');
      };
      const broken = mirrorWorld({ ...w.p, memberships });
      const member = stytchMember(ext);
      await expect(broken.mirror.syncMember(member)).rejects.toBeInstanceOf(InjectedFailure);
      expect(await w.p.users.findByEmail(member.email)).toBeNull();
      expect(await w.p.identityLinks.findByExternal('member', member.externalId)).toBeNull();
      expect(broken.published).toEqual([]);
    });

    it('mirrors one new member delivered five times at once as one user, one membership and one organization', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const member = stytchMember(ext, { role: 'admin' });
      const results = await Promise.all(Array.from({ length: 5 }, () => w.mirror.syncMember(member, ext)));
      expect(new Set(results.map((r) => r.membership?.id)).size).toBe(1);
      expect(new Set(results.map((r) => r.organization.id)).size).toBe(1);
      const user = await w.p.users.findByEmail(member.email);
      expect(await w.p.memberships.listByUser(user!.id)).toHaveLength(1);
    });
  });

  describe('organization removal', () => {
    it('archives the organization (data kept), revokes its sessions at once, tombstones it; later states never revive it', async () => {
      const w = mirrorWorld(store.persistence);
      const ext = stytchOrg();
      const member = stytchMember(ext, { role: 'admin' });
      const { membership, organization } = await w.mirror.syncMember(member, ext);
      const session = await signedIn(w.p, membership!, w.clock.now());
      w.published.length = 0;
      await w.mirror.removeOrganization(ext.externalId, at(60));
      expect(await w.p.orgs.findById(organization.id)).toMatchObject({ status: 'archived', name: 'Acme Boats' });
      expect(await w.p.memberships.findById(organization.id, membership!.id)).not.toBeNull();
      expect((await w.p.sessions.findById(session.id))?.revokedReason).toBe('organization_archived');
      expect(w.published).toEqual(expect.arrayContaining([`tenant:${organization.id}`, `session:${session.id}`]));
      expect((await w.p.identityLinks.findByExternal('organization', ext.externalId))?.deletedAt).toEqual(at(60));

      const later = await w.mirror.syncOrganization({ ...ext, name: 'Back Again', updatedAt: at(99) });
      expect([later.status, later.name]).toEqual(['archived', 'Acme Boats']);
      await expectCode(w.mirror.syncMember({ ...stytchMember(ext), updatedAt: at(99) }), 'TENANT_NOT_FOUND');
      expect(await w.mirror.localOrganizationId(ext.externalId)).toBe(organization.id);
      expect(await w.mirror.externalOrganizationId(organization.id)).toBeNull();
      // A second delivery of the deletion changes nothing.
      await w.mirror.removeOrganization(ext.externalId, at(61));
      expect((await w.p.identityLinks.findByExternal('organization', ext.externalId))?.deletedAt).toEqual(at(60));
    });
  });
});
