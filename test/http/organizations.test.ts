import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../src/domain/tenancy/user.js';
import { type Harness, organizationWithAdmin, signUp, startHarness } from '../support/http-harness.js';

const PASSWORD = 'correct horse battery staple';

describe('organizations and members over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function orgWithAdmin(prefix: string) {
    const admin = await signUp(h, `${prefix}-admin@example.com`);
    const created = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name: `${prefix} Inc` } });
    expect(created.status).toBe(201);
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: `${prefix}-admin@example.com`, password: PASSWORD } });
    expect(login.body.organization.id).toBe(created.body.id);
    return { org: created.body, admin: login.body };
  }

  it('a disabled account is invited like any address: the same answer, the same audit entry, a resend answered alike (nothing is mailed to it)', async () => {
    const acme = await organizationWithAdmin(h, 'Discreet');
    const add = async (o: typeof acme, email: string) => (await h.call('POST', `/api/v1/organizations/${o.org.id}/members`, { token: o.token, body: { email, role: 'member' } })).body;
    const resend = (o: typeof acme, id: string) => h.call('POST', `/api/v1/organizations/${o.org.id}/invitations/${id}/resend`, { token: o.token });
    // An account an operator disabled.
    const stored = User.create({ id: randomUUID(), email: 'disabled@example.com', name: 'Dee', passwordHash: 'scrypt$unused', now: h.clock.now() });
    stored.emailVerifiedAt = h.clock.now();
    stored.status = 'disabled';
    await h.gatehouse.persistence.users.save(stored);
    const disabled = await add(acme, 'disabled@example.com');
    const unknown = await add(acme, 'nobody-yet@example.com');
    const shape = (m: Record<string, unknown>) => ({ ...m, id: undefined, userId: undefined, email: undefined, createdAt: undefined });
    expect(shape(disabled)).toEqual(shape(unknown));
    expect((await resend(acme, disabled.id)).status).toBe(202);
    expect((await resend(acme, unknown.id)).status).toBe(202);
    const audit = await h.call('GET', `/api/v1/organizations/${acme.org.id}/audit-log`, { token: acme.token });
    const added = audit.body.events.filter((e: { action: string }) => e.action === 'member.added').map((e: { metadata: Record<string, unknown> }) => ({ ...e.metadata, userId: undefined }));
    expect(added).toEqual([added[0], added[0]]);
    expect(await h.gatehouse.persistence.outbox.listRecent('disabled@example.com')).toEqual([]);
  });

  it('creates an organization with the creator as admin, readable by id or slug', async () => {
    const { org, admin } = await orgWithAdmin('acme');
    expect(org).toMatchObject({ slug: 'acme-inc', name: 'acme Inc', status: 'active' });
    expect(admin.member.roles).toEqual(['admin']);
    expect((await h.call('GET', `/api/v1/organizations/${org.slug}`, { token: admin.accessToken })).body.id).toBe(org.id);
    expect((await h.call('GET', '/api/v1/organizations', { token: admin.accessToken })).body.organizations).toHaveLength(1);
    const me = await h.call('GET', '/api/v1/me', { token: admin.accessToken });
    expect(me.body.organization.id).toBe(org.id);
    expect(me.body.member.role).toBe('admin');
  });

  it('adds members; only admins manage them; the last admin stays', async () => {
    const { org, admin } = await orgWithAdmin('globex');
    const bob = await signUp(h, 'globex-bob@example.com');
    const added = await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: admin.accessToken, body: { email: 'globex-bob@example.com', role: 'member' } });
    expect(added.status).toBe(201);
    // An invitation: Bob accepts it by signing in to the organization.
    expect(added.body).toMatchObject({ email: 'globex-bob@example.com', role: 'member', status: 'invited', name: null });
    const dup = await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: admin.accessToken, body: { email: 'globex-bob@example.com' } });
    expect(dup.body.code).toBe('MEMBER_ALREADY_EXISTS');

    const bobIn = await h.call('POST', '/api/v1/auth/login', { body: { email: 'globex-bob@example.com', password: PASSWORD, organization: org.slug } });
    expect(bobIn.body.member.roles).toEqual(['member']);
    const escalate = await h.call('PATCH', `/api/v1/organizations/${org.id}/members/${bobIn.body.member.id}`, { token: bobIn.body.accessToken, body: { role: 'admin' } });
    expect(escalate.status).toBe(403);
    expect(escalate.body.code).toBe('ACCESS_DENIED');
    const invite = await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: bobIn.body.accessToken, body: { email: 'x@example.com', role: 'admin' } });
    expect(invite.body.code).toBe('ACCESS_DENIED');

    const demoteSelf = await h.call('PATCH', `/api/v1/organizations/${org.id}/members/${admin.member.id}`, { token: admin.accessToken, body: { role: 'member' } });
    expect(demoteSelf.status).toBe(409);
    expect(demoteSelf.body.code).toBe('MEMBER_LAST_ADMIN');
    const removeSelf = await h.call('DELETE', `/api/v1/organizations/${org.id}/members/${admin.member.id}`, { token: admin.accessToken });
    expect(removeSelf.body.code).toBe('MEMBER_LAST_ADMIN');

    const promote = await h.call('PATCH', `/api/v1/organizations/${org.id}/members/${bobIn.body.member.id}`, { token: admin.accessToken, body: { role: 'admin' } });
    expect(promote.body.role).toBe('admin');
    // Role changes apply on the next request, not when the token expires.
    const nowAdmin = await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: bobIn.body.accessToken, body: { email: 'globex-new@example.com', role: 'viewer' } });
    expect(nowAdmin.status).toBe(201);
    expect(nowAdmin.body.status).toBe('invited');
    expect(bob.user.id).toBe(bobIn.body.user.id);
  });

  it('removing a member ends their sessions in that organization', async () => {
    const { org, admin } = await orgWithAdmin('initech');
    await signUp(h, 'initech-peter@example.com');
    const added = await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: admin.accessToken, body: { email: 'initech-peter@example.com' } });
    const peter = await h.call('POST', '/api/v1/auth/login', { body: { email: 'initech-peter@example.com', password: PASSWORD, organization: org.id } });
    expect((await h.call('GET', `/api/v1/organizations/${org.id}`, { token: peter.body.accessToken })).status).toBe(200);
    expect((await h.call('DELETE', `/api/v1/organizations/${org.id}/members/${added.body.id}`, { token: admin.accessToken })).status).toBe(204);
    expect((await h.call('GET', `/api/v1/organizations/${org.id}`, { token: peter.body.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    expect((await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: peter.body.refreshToken } })).status).toBe(401);
  });

  it("never reveals or changes another tenant's organization, members or audit log", async () => {
    const a = await orgWithAdmin('tenant-a');
    const b = await orgWithAdmin('tenant-b');
    const bMembers = await h.call('GET', `/api/v1/organizations/${b.org.id}/members`, { token: b.admin.accessToken });
    const bAdminMember = bMembers.body.members[0].id;
    const attempts = [
      h.call('GET', `/api/v1/organizations/${b.org.id}`, { token: a.admin.accessToken }),
      h.call('GET', `/api/v1/organizations/${b.org.slug}/members`, { token: a.admin.accessToken }),
      h.call('PATCH', `/api/v1/organizations/${b.org.id}`, { token: a.admin.accessToken, body: { name: 'pwned' } }),
      h.call('DELETE', `/api/v1/organizations/${b.org.id}`, { token: a.admin.accessToken }),
      h.call('GET', `/api/v1/organizations/${b.org.id}/audit-log`, { token: a.admin.accessToken }),
      h.call('POST', `/api/v1/organizations/${b.org.id}/members`, { token: a.admin.accessToken, body: { email: 'spy@example.com' } }),
      h.call('GET', '/api/v1/organizations/00000000-0000-4000-8000-000000000000', { token: a.admin.accessToken }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('TENANT_NOT_FOUND');
    }
    // A member id of tenant B through tenant A's path: not found, unchanged.
    const cross = await h.call('PATCH', `/api/v1/organizations/${a.org.id}/members/${bAdminMember}`, { token: a.admin.accessToken, body: { role: 'viewer' } });
    expect(cross.body.code).toBe('MEMBER_NOT_FOUND');
    const crossDelete = await h.call('DELETE', `/api/v1/organizations/${a.org.id}/members/${bAdminMember}`, { token: a.admin.accessToken });
    expect(crossDelete.body.code).toBe('MEMBER_NOT_FOUND');
    expect((await h.call('GET', `/api/v1/organizations/${b.org.id}`, { token: b.admin.accessToken })).body.name).toBe('tenant-b Inc');
    expect((await h.call('GET', `/api/v1/organizations/${b.org.id}/members`, { token: b.admin.accessToken })).body.members[0].role).toBe('admin');
  });

  it('resolves an organization id in any case to that organization, and refuses slugs shaped like ids', async () => {
    const { org, admin } = await orgWithAdmin('cyberdyne');
    const other = await signUp(h, 'cyberdyne-rival@example.com');
    const shadow = await h.call('POST', '/api/v1/organizations', { token: other.accessToken, body: { name: 'Shadow', slug: org.id } });
    expect([shadow.status, shadow.body.code]).toEqual([400, 'TENANT_SLUG_INVALID']);
    const named = await h.call('POST', '/api/v1/organizations', { token: other.accessToken, body: { name: org.id.toUpperCase() } });
    expect(named.body.slug).toBe(`org-${org.id}`);
    expect((await h.call('GET', `/api/v1/organizations/${org.id.toUpperCase()}`, { token: admin.accessToken })).body.id).toBe(org.id);
    expect((await h.call('GET', `/api/v1/organizations/${org.id.toUpperCase()}`, { token: other.accessToken })).body.code).toBe('TENANT_NOT_FOUND');
  });

  it('records sign-ins, failures, member and role changes in the audit log, for admins only', async () => {
    const { org, admin } = await orgWithAdmin('umbrella');
    await signUp(h, 'umbrella-alice@example.com');
    const added = await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: admin.accessToken, body: { email: 'umbrella-alice@example.com', role: 'viewer' } });
    await h.call('PATCH', `/api/v1/organizations/${org.id}/members/${added.body.id}`, { token: admin.accessToken, body: { role: 'manager' } });
    await h.call('POST', '/api/v1/auth/login', { body: { email: 'umbrella-alice@example.com', password: PASSWORD, organization: org.id }, headers: { 'user-agent': 'audit-test/1.0' } });
    const log = await h.call('GET', `/api/v1/organizations/${org.id}/audit-log?limit=2`, { token: admin.accessToken });
    expect(log.status).toBe(200);
    expect(log.body.events).toHaveLength(2);
    expect(log.body.events[0]).toMatchObject({ action: 'auth.login.succeeded', userAgent: 'audit-test/1.0', ip: '127.0.0.1' });
    const next = await h.call('GET', `/api/v1/organizations/${org.id}/audit-log?limit=50&cursor=${log.body.nextCursor}`, { token: admin.accessToken });
    const actions = [...log.body.events, ...next.body.events].map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['organization.created', 'member.added', 'member.role_changed', 'auth.login.succeeded']));
    const roleChanges = await h.call('GET', `/api/v1/organizations/${org.id}/audit-log?action=member.role_changed`, { token: admin.accessToken });
    expect(roleChanges.body.events).toHaveLength(1);
    expect(roleChanges.body.events[0].metadata).toEqual({ from: 'viewer', to: 'manager' });
    const alice = await h.call('POST', '/api/v1/auth/login', { body: { email: 'umbrella-alice@example.com', password: PASSWORD, organization: org.id }, headers: { 'x-client': 'api' } });
    // A replayed refresh token shows in the organization's log, where its admins look.
    expect((await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: alice.body.refreshToken }, headers: { 'x-client': 'api' } })).status).toBe(200);
    expect((await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: alice.body.refreshToken }, headers: { 'x-client': 'api' } })).body.code).toBe('REFRESH_TOKEN_REUSED');
    const replays = await h.call('GET', `/api/v1/organizations/${org.id}/audit-log?action=auth.refresh.reuse_detected`, { token: admin.accessToken });
    expect(replays.body.events.map((e: { actorUserId: string }) => e.actorUserId)).toEqual([alice.body.user.id]);
    // A wrong password naming the organization shows in its log for its members only: anyone can name it.
    await h.call('POST', '/api/v1/auth/login', { body: { email: 'umbrella-alice@example.com', password: 'wrong password, twelve+', organization: org.slug } });
    await h.call('POST', '/api/v1/auth/login', { body: { email: 'globex-bob@example.com', password: 'wrong password, twelve+', organization: org.slug } });
    const failures = await h.call('GET', `/api/v1/organizations/${org.id}/audit-log?action=auth.login.failed`, { token: admin.accessToken });
    expect(failures.body.events.map((e: { actorUserId: string }) => e.actorUserId)).toEqual([alice.body.user.id]);
    const again = await h.call('POST', '/api/v1/auth/login', { body: { email: 'umbrella-alice@example.com', password: PASSWORD, organization: org.id } });
    const denied = await h.call('GET', `/api/v1/organizations/${org.id}/audit-log`, { token: again.body.accessToken });
    expect(denied.body.code).toBe('ACCESS_DENIED');
  });

  it('asks to pick an organization when the user has several, and the intermediate token works once', async () => {
    const { org } = await orgWithAdmin('multi-one');
    const other = await h.call('POST', '/api/v1/auth/login', { body: { email: 'multi-one-admin@example.com', password: PASSWORD } });
    const second = await h.call('POST', '/api/v1/organizations', { token: other.body.accessToken, body: { name: 'Multi Two' } });
    const pick = await h.call('POST', '/api/v1/auth/login', { body: { email: 'multi-one-admin@example.com', password: PASSWORD } });
    expect(pick.body.status).toBe('org_selection_required');
    expect(pick.body.organizations.map((o: { id: string }) => o.id).sort()).toEqual([org.id, second.body.id].sort());
    const listed = await h.call('POST', '/api/v1/auth/discovery/organizations', { body: { intermediateToken: pick.body.intermediateToken } });
    expect(listed.body.organizations).toHaveLength(2);
    const exchanged = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: pick.body.intermediateToken, organization: second.body.slug } });
    expect(exchanged.body.organization.id).toBe(second.body.id);
    const replay = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: pick.body.intermediateToken, organization: org.id } });
    expect(replay.body.code).toBe('INTERMEDIATE_TOKEN_INVALID');
    const switched = await h.call('POST', '/api/v1/auth/switch-organization', { token: exchanged.body.accessToken, body: { organization: org.slug } });
    expect(switched.body.organization.id).toBe(org.id);
    expect((await h.call('GET', '/api/v1/me', { token: exchanged.body.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
  });

  it('refuses sign-in to an archived organization with a clear code, answers 403 on its API, and keeps its data', async () => {
    const { org, admin } = await orgWithAdmin('archived');
    const stored = (await h.gatehouse.persistence.orgs.findById(org.id))!;
    stored.moveTo('archived', h.clock.now());
    await h.gatehouse.persistence.orgs.save(stored);
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: 'archived-admin@example.com', password: PASSWORD, organization: org.slug } });
    expect([login.status, login.body.code]).toEqual([403, 'TENANT_ARCHIVED']);
    const api = await h.call('GET', `/api/v1/organizations/${org.id}/members`, { token: admin.accessToken });
    expect([api.status, api.body.code]).toEqual([403, 'TENANT_ARCHIVED']);
    const refresh = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: admin.refreshToken } });
    expect(refresh.body.code).toBe('TENANT_ARCHIVED');
    stored.moveTo('active', h.clock.now());
    await h.gatehouse.persistence.orgs.save(stored);
    const back = await h.call('POST', '/api/v1/auth/login', { body: { email: 'archived-admin@example.com', password: PASSWORD, organization: org.slug } });
    const members = await h.call('GET', `/api/v1/organizations/${org.id}/members`, { token: back.body.accessToken });
    expect(members.body.members).toHaveLength(1);
  });
});

// Its own server: the per-IP sign-in limit would otherwise count the sign-ins of the tests above.
describe('organizations seen from outside, and deleted', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('ends every session in a deleted organization at once, cached or not', async () => {
    const admin = (await signUp(h, 'initech-admin@example.com')) as { accessToken: string };
    const org = (await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name: 'Initech' } })).body;
    await signUp(h, 'initech-milton@example.com');
    expect((await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: admin.accessToken, body: { email: 'initech-milton@example.com', role: 'member' } })).status).toBe(201);
    const milton = await h.call('POST', '/api/v1/auth/login', { body: { email: 'initech-milton@example.com', password: PASSWORD, organization: org.id } });
    const adminIn = await h.call('POST', '/api/v1/auth/login', { body: { email: 'initech-admin@example.com', password: PASSWORD, organization: org.id } });
    // Every session is checked once, so its status is cached when the organization goes.
    for (const token of [milton.body.accessToken, adminIn.body.accessToken, admin.accessToken]) expect((await h.call('GET', '/api/v1/me', { token })).status).toBe(200);
    expect((await h.call('DELETE', `/api/v1/organizations/${org.id}`, { token: adminIn.body.accessToken })).status).toBe(204);
    // The admin's session outside the organization goes on.
    expect((await h.call('GET', '/api/v1/me', { token: admin.accessToken })).status).toBe(200);
    for (const token of [milton.body.accessToken, adminIn.body.accessToken]) {
      expect((await h.call('GET', '/api/v1/me', { token })).body.code).toBe('AUTH_SESSION_REVOKED');
      expect((await h.call('POST', '/api/v1/organizations', { token, body: { name: 'Afterlife' } })).body.code).toBe('AUTH_SESSION_REVOKED');
    }
    expect((await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: milton.body.refreshToken } })).status).toBe(401);
  });

  it('tells a stranger naming an archived or suspended organization only that it is not found', async () => {
    const owner = await signUp(h, 'hooli-owner@example.com');
    const stranger = await signUp(h, 'hooli-stranger@example.com');
    expect(stranger.accessToken).toBeTruthy();
    for (const status of ['archived', 'suspended'] as const) {
      const created = await h.call('POST', '/api/v1/organizations', { token: owner.accessToken, body: { name: `Hooli ${status}` } });
      const stored = (await h.gatehouse.persistence.orgs.findById(created.body.id))!;
      stored.moveTo(status, h.clock.now());
      await h.gatehouse.persistence.orgs.save(stored);
      const asStranger = await h.call('POST', '/api/v1/auth/login', { body: { email: 'hooli-stranger@example.com', password: PASSWORD, organization: created.body.slug } });
      expect([asStranger.status, asStranger.body.code], status).toEqual([404, 'TENANT_NOT_FOUND']);
      const asOwner = await h.call('POST', '/api/v1/auth/login', { body: { email: 'hooli-owner@example.com', password: PASSWORD, organization: created.body.slug } });
      expect([asOwner.status, asOwner.body.code], status).toEqual([403, status === 'archived' ? 'TENANT_ARCHIVED' : 'TENANT_SUSPENDED']);
    }
    const unknown = await h.call('POST', '/api/v1/auth/login', { body: { email: 'hooli-stranger@example.com', password: PASSWORD, organization: 'no-such-org' } });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'TENANT_NOT_FOUND']);
  });

  it('enforces the sign-in methods an organization allows, at sign-in and on its API', async () => {
    const owner = await signUp(h, 'pied-owner@example.com');
    const created = await h.call('POST', '/api/v1/organizations', { token: owner.accessToken, body: { name: 'Pied Piper' } });
    const inside = await h.call('POST', '/api/v1/auth/login', { body: { email: 'pied-owner@example.com', password: PASSWORD, organization: created.body.slug } });
    const policy = await h.call('PATCH', `/api/v1/organizations/${created.body.id}`, { token: inside.body.accessToken, body: { policy: { allowedAuthMethods: ['magic_link'] } } });
    expect(policy.body.policy.allowedAuthMethods).toEqual(['magic_link']);
    const byPassword = await h.call('POST', '/api/v1/auth/login', { body: { email: 'pied-owner@example.com', password: PASSWORD, organization: created.body.slug } });
    expect([byPassword.status, byPassword.body.code]).toEqual([403, 'AUTH_METHOD_NOT_ALLOWED']);
    // A password session from outside cannot run it either; the session that started inside goes on.
    expect((await h.call('GET', `/api/v1/organizations/${created.body.id}/members`, { token: owner.accessToken })).body.code).toBe('AUTH_METHOD_NOT_ALLOWED');
    expect((await h.call('GET', `/api/v1/organizations/${created.body.id}/members`, { token: inside.body.accessToken })).status).toBe(200);
    await h.call('PATCH', `/api/v1/organizations/${created.body.id}`, { token: inside.body.accessToken, body: { policy: { allowedAuthMethods: ['password', 'magic_link'] } } });
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'pied-owner@example.com', password: PASSWORD, organization: created.body.slug } })).body.status).toBe('authenticated');
  });
});
