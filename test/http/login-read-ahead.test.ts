import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import { StytchEmulator } from '../fakes/stytch-emulator.js';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

/**
 * Password sign-in reads ahead while the password is being hashed (organization, membership,
 * MFA enrolment) and only writes once it checked out. What an attacker could try against that:
 * learn an organization's state without the password, or slip in through a read made stale by a
 * change during the hash. And with Stytch nothing may be asked before Stytch checked the password.
 */
const PASSWORD = 'correct horse battery staple';

describe('password sign-in reads ahead during the hash [builtin]', () => {
  const persistence = createInMemoryPersistence();
  /** Runs once, right after the read-ahead looked up a membership: a change landing during the hash. */
  let duringHash: (() => Promise<void>) | null = null;
  const findByUser = persistence.memberships.findByUser.bind(persistence.memberships);
  persistence.memberships.findByUser = async (tenantId, userId) => {
    if (failing.membership) throw new Error('Connection terminated unexpectedly');
    const found = await findByUser(tenantId, userId);
    const change = duringHash;
    duringHash = null;
    await change?.();
    return found;
  };
  /** Reads of an account by email, counted. */
  let emailReads = 0;
  /** Set to make the next reads fail as a lost database connection would. */
  const failing = { emailRead: false, liveSessions: false, membership: false };
  const lostConnection = () => Promise.reject(new Error('Connection terminated unexpectedly'));
  const findByEmail = persistence.users.findByEmail.bind(persistence.users);
  persistence.users.findByEmail = (email) => {
    emailReads++;
    return failing.emailRead ? lostConnection() : findByEmail(email);
  };
  const listActiveByUser = persistence.sessions.listActiveByUser.bind(persistence.sessions);
  persistence.sessions.listActiveByUser = (userId, now) => (failing.liveSessions ? lostConnection() : listActiveByUser(userId, now));
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ persistence });
  });
  afterAll(() => h.close());
  afterEach(() => {
    duringHash = null;
    Object.assign(failing, { emailRead: false, liveSessions: false, membership: false });
  });

  async function orgWithMember(name: string) {
    const admin = await signUp(h, `${name}-admin@example.com`);
    const org = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name } });
    const member = await signUp(h, `${name}-member@example.com`);
    const adminIn = await h.call('POST', '/api/v1/auth/login', { body: { email: `${name}-admin@example.com`, password: PASSWORD, organization: org.body.id } });
    const added = await h.call('POST', `/api/v1/organizations/${org.body.id}/members`, { token: adminIn.body.accessToken, body: { email: `${name}-member@example.com`, role: 'member' } });
    expect(added.status).toBe(201);
    // The member accepts the invitation by signing in to the organization once.
    const accepted = await h.call('POST', '/api/v1/auth/login', { body: { email: `${name}-member@example.com`, password: PASSWORD, organization: org.body.id } });
    expect(accepted.body.status).toBe('authenticated');
    return { org: org.body as { id: string; slug: string }, member, memberId: added.body.id as string };
  }

  async function archive(id: string) {
    const stored = (await persistence.orgs.findById(id))!;
    stored.moveTo('archived', h.clock.now());
    await persistence.orgs.save(stored);
  }

  /** The organization's recorded successful sign-ins, oldest first. */
  async function signIns(tenantId: string) {
    const { events } = await persistence.audit.list(tenantId, { limit: 500, action: 'auth.login.succeeded' });
    return events.reverse().map((e) => ({ actor: e.actorUserId, metadata: e.metadata }));
  }

  it('reads the account once and records the sign-in with its session', async () => {
    const { org } = await orgWithMember('counted');
    const before = await signIns(org.id);
    const account = (await persistence.users.findByEmail('counted-member@example.com'))!;
    emailReads = 0;
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: 'counted-member@example.com', password: PASSWORD, organization: org.slug } });
    expect(login.status).toBe(200);
    expect(emailReads).toBe(1); // the hash and the read-ahead share one lookup
    expect(await signIns(org.id)).toEqual([...before, { actor: account.id, metadata: { method: 'password', result: 'authenticated' } }]);
  });

  it('a wrong password learns nothing about the organization: archived and unknown both answer 401 INVALID_CREDENTIALS', async () => {
    const { org } = await orgWithMember('hidden');
    await archive(org.id);
    const archived = await h.call('POST', '/api/v1/auth/login', { body: { email: 'hidden-member@example.com', password: 'not the password', organization: org.slug } });
    const unknown = await h.call('POST', '/api/v1/auth/login', { body: { email: 'hidden-member@example.com', password: 'not the password', organization: 'no-such-org' } });
    expect([archived.status, archived.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect({ ...archived.body, requestId: '' }).toEqual({ ...unknown.body, requestId: '' });
    // With the right password the refusal is stated.
    const right = await h.call('POST', '/api/v1/auth/login', { body: { email: 'hidden-member@example.com', password: PASSWORD, organization: org.slug } });
    expect([right.status, right.body.code]).toEqual([403, 'TENANT_ARCHIVED']);
  });

  it('an organization archived during the hash: whatever the sign-in got cannot reach it', async () => {
    const { org } = await orgWithMember('racing');
    duringHash = () => archive(org.id);
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: 'racing-member@example.com', password: PASSWORD, organization: org.slug } });
    expect(duringHash).toBeNull(); // the change did land between the read-ahead and the session
    expect(login.status).toBe(200);
    const api = await h.call('GET', `/api/v1/organizations/${org.id}`, { token: login.body.accessToken });
    expect([api.status, api.body.code]).toEqual([403, 'TENANT_ARCHIVED']);
    const refresh = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect([refresh.status, refresh.body.code]).toEqual([403, 'TENANT_ARCHIVED']);
  });

  it('a member removed during the hash gets no session in the organization', async () => {
    const { org, memberId } = await orgWithMember('removed');
    duringHash = async () => {
      await persistence.memberships.delete(org.id, memberId);
    };
    const signInsBefore = await signIns(org.id);
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: 'removed-member@example.com', password: PASSWORD, organization: org.slug } });
    expect(duringHash).toBeNull();
    // The session row must name a live membership: the write is refused, nothing is issued,
    // and the sign-in written with it is not recorded as a success.
    expect([login.status, login.body.code]).toEqual([404, 'MEMBER_NOT_FOUND']);
    expect(login.body.accessToken).toBeUndefined();
    expect(await signIns(org.id)).toEqual(signInsBefore);
    const again = await h.call('POST', '/api/v1/auth/login', { body: { email: 'removed-member@example.com', password: PASSWORD, organization: org.slug } });
    expect([again.status, again.body.code]).toEqual([404, 'TENANT_NOT_FOUND']);
  });

  // Every read made ahead runs beside the hash; one that fails must end in the answer, not as an
  // unhandled rejection that takes the whole process down with everyone's requests.
  it.each([
    ['the account', 'emailRead', 'right'],
    ['the account', 'emailRead', 'wrong'],
    ["the account's live sessions", 'liveSessions', 'right'],
    ["the account's live sessions", 'liveSessions', 'wrong'],
    ['the membership', 'membership', 'right'],
    ['the membership', 'membership', 'wrong'],
  ] as const)('a database failing to read %s answers 500 INTERNAL and leaves no promise unhandled (%s password… %s)', async (_what, read, password) => {
    const { org } = await orgWithMember(`fail-${read}-${password}`);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const account = (await persistence.users.findByEmail(`fail-${read}-${password}-member@example.com`))!;
    const sessionsBefore = (await persistence.sessions.listActiveByUser(account.id, h.clock.now())).length;
    try {
      failing[read] = true;
      const login = await h.call('POST', '/api/v1/auth/login', {
        body: { email: `fail-${read}-${password}-member@example.com`, password: password === 'right' ? PASSWORD : 'not the password', organization: org.slug },
      });
      failing[read] = false;
      if (read === 'emailRead' || password === 'right') {
        expect(login.status).toBe(500);
        expect(login.body).toMatchObject({ code: 'INTERNAL' });
        expect(JSON.stringify(login.body)).not.toContain('Connection terminated');
        expect((await persistence.sessions.listActiveByUser(account.id, h.clock.now())).length).toBe(sessionsBefore); // nothing half-applied
      } else {
        expect(login.status).toBe(401); // the password was wrong: what the failed read-ahead was for never mattered
      }
      await new Promise((resolve) => setTimeout(resolve, 20)); // rejections are reported after a turn of the event loop
      expect(unhandled).toEqual([]);
      const after = await h.call('POST', '/api/v1/auth/login', { body: { email: `fail-${read}-${password}-member@example.com`, password: PASSWORD } });
      expect(after.status).toBe(200);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('password sign-in reads nothing ahead at a remote provider [stytch]', () => {
  let emulator: StytchEmulator;
  let h: Harness;
  beforeAll(async () => {
    emulator = await StytchEmulator.start();
    h = await startHarness({ env: emulator.gatehouseEnv(`whsec_${randomBytes(24).toString('base64')}`) });
  });
  afterAll(async () => {
    await h?.close();
    await emulator?.stop();
  });

  it('a wrong password costs Stytch exactly one call: the password check', async () => {
    const org = emulator.seedOrganization({ name: 'Remote', slug: 'remote-read-ahead' });
    emulator.seedMember(org.organization_id, { email: 'remote@example.com', password: PASSWORD, emailVerified: true });
    const signedIn = await h.call('POST', '/api/v1/auth/login', { body: { email: 'remote@example.com', password: PASSWORD, organization: 'remote-read-ahead' } });
    expect(signedIn.status).toBe(200); // the user and organization are mirrored now
    const mark = emulator.requests.length;
    const wrong = await h.call('POST', '/api/v1/auth/login', { body: { email: 'remote@example.com', password: 'not the password', organization: 'remote-read-ahead' } });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect(emulator.requests.slice(mark).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/b2b/passwords/discovery/authenticate']);
  });
});
