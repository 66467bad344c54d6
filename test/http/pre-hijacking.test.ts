import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, mailedToken, mailedTokens, signUp, signUpUnverified, startHarness } from '../support/http-harness.js';

/**
 * Account pre-hijacking: the attacker registers an address they do not own, with a password of their
 * own, and waits for an organization to grant that address a membership. Whatever is granted to an
 * account that never proved its mailbox stays an invitation. Only a link mailed to the address accepts
 * it, and following that link ends the squatter's password and sessions.
 */
const PASSWORD = 'correct horse battery staple';

describe('a membership granted to an address someone else registered [builtin]', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function orgOf(name: string) {
    const admin = await signUp(h, `${name}-admin@example.com`);
    const org = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name } });
    const adminIn = await h.call('POST', '/api/v1/auth/login', { body: { email: `${name}-admin@example.com`, password: PASSWORD, organization: org.body.id } });
    return { org: org.body as { id: string; slug: string; name: string }, adminToken: adminIn.body.accessToken as string };
  }

  const invitationToken = async (email: string) => (await mailedTokens(h, email, 'invitation'))[0] ?? null;

  it('stays an invitation the squatter can neither use nor see, and the mailbox owner takes it by following the link', async () => {
    const { org, adminToken } = await orgOf('Squatted');
    const squatter = await signUpUnverified(h, 'ceo@target.example');

    const added = await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: adminToken, body: { email: 'ceo@target.example', role: 'admin' } });
    expect(added.status).toBe(201);
    expect(added.body.status).toBe('invited');
    const mail = (await h.gatehouse.persistence.outbox.listRecent('ceo@target.example')).find((m) => m.template === 'invitation')!;
    expect(mail.data).toMatchObject({ organizationName: 'Squatted', inviterName: 'Squatted-admin', role: 'admin' });

    // Every way in, with the password the squatter chose: the organization is unknown to them.
    const direct = await h.call('POST', '/api/v1/auth/login', { body: { email: 'ceo@target.example', password: PASSWORD, organization: org.slug } });
    expect([direct.status, direct.body.code]).toEqual([404, 'TENANT_NOT_FOUND']);
    const plain = await h.call('POST', '/api/v1/auth/login', { body: { email: 'ceo@target.example', password: PASSWORD } });
    expect(plain.body).toMatchObject({ status: 'authenticated', organization: null });
    const switched = await h.call('POST', '/api/v1/auth/switch-organization', { token: plain.body.accessToken, body: { organization: org.id } });
    expect(switched.body.code).toBe('TENANT_NOT_FOUND');
    expect((await h.call('GET', `/api/v1/organizations/${org.id}/members`, { token: plain.body.accessToken })).status).toBe(404);
    const me = await h.call('GET', '/api/v1/me', { token: plain.body.accessToken });
    expect(me.body.memberships).toEqual([]); // not even the invitation's name
    expect(JSON.stringify(me.body)).not.toContain(org.slug);

    // The owner of the mailbox follows the invitation link: the account is theirs now.
    const token = (await invitationToken('ceo@target.example'))!;
    expect(token).toBeTruthy();
    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token } });
    expect(found.body.status).toBe('org_selection_required');
    expect(found.body.organizations).toEqual([expect.objectContaining({ id: org.id, membership: 'invited_member' })]);
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token } })).body.code).toBe('MAGIC_LINK_INVALID'); // once
    for (const session of [squatter, plain.body]) expect((await h.call('GET', '/api/v1/me', { token: session.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'ceo@target.example', password: PASSWORD } })).body.code).toBe('INVALID_CREDENTIALS');

    const entered = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: found.body.intermediateToken, organization: org.slug } });
    expect(entered.body).toMatchObject({ status: 'authenticated', organization: { id: org.id }, member: { roles: ['admin'] } });
    const members = await h.call('GET', `/api/v1/organizations/${org.id}/members`, { token: adminToken });
    expect(members.body.members.find((m: { email: string }) => m.email === 'ceo@target.example')).toMatchObject({ status: 'active', role: 'admin' });
  });

  it('adding an address tells the admin nothing about it: a verified account, an unverified one and an unknown address get the same answer and an invitation', async () => {
    const { org, adminToken } = await orgOf('Prober');
    await signUp(h, 'verified@probed.example');
    await signUpUnverified(h, 'unverified@probed.example');
    const answers = [];
    for (const email of ['verified@probed.example', 'unverified@probed.example', 'unknown@probed.example']) {
      const added = await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: adminToken, body: { email, role: 'member' } });
      expect(added.status).toBe(201);
      const { id: _id, userId: _userId, createdAt: _createdAt, email: _email, ...rest } = added.body;
      answers.push(rest);
    }
    expect(answers).toEqual([answers[0], answers[0], answers[0]]);
    expect(answers[0]).toMatchObject({ status: 'invited', name: null });
    const listed = await h.call('GET', `/api/v1/organizations/${org.id}/members`, { token: adminToken });
    expect(listed.body.members.filter((m: { status: string }) => m.status === 'invited').map((m: { name: string | null }) => m.name)).toEqual([null, null, null]);

    // The verified person is mailed an invitation and is not a member until they choose the organization.
    expect(await invitationToken('verified@probed.example')).toBeTruthy();
    const plain = await h.call('POST', '/api/v1/auth/login', { body: { email: 'verified@probed.example', password: PASSWORD } });
    expect(plain.body).toMatchObject({ status: 'org_selection_required', organizations: [{ id: org.id, membership: 'invited_member' }] });
    const joined = await h.call('POST', '/api/v1/auth/login', { body: { email: 'verified@probed.example', password: PASSWORD, organization: org.slug } });
    expect(joined.body).toMatchObject({ status: 'authenticated', organization: { id: org.id }, member: { roles: ['member'] } });
    const after = await h.call('GET', `/api/v1/organizations/${org.id}/members`, { token: adminToken });
    expect(after.body.members.find((m: { email: string }) => m.email === 'verified@probed.example')).toMatchObject({ status: 'active', name: 'verified' });
  });

  it("an invitation link is no other flow's token, and a verification link followed later still lets the password in", async () => {
    const { org, adminToken } = await orgOf('Later');
    await signUpUnverified(h, 'late@later.example');
    await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: adminToken, body: { email: 'late@later.example', role: 'viewer' } });
    const token = (await invitationToken('late@later.example'))!;
    for (const [path, body, code] of [
      ['/api/v1/auth/verify-email', { token }, 'VERIFICATION_TOKEN_INVALID'],
      ['/api/v1/auth/password/reset', { token, password: 'a fresh passphrase' }, 'RESET_TOKEN_INVALID'],
      ['/api/v1/auth/activation', { token, password: 'a fresh passphrase', name: 'X' }, 'ACTIVATION_TOKEN_INVALID'],
    ] as const) expect((await h.call('POST', path, { body })).body.code).toBe(code);
    // The registrant's own verification link (mailed when they registered) proves the mailbox too.
    expect((await h.call('POST', '/api/v1/auth/verify-email', { body: { token: await mailedToken(h, 'late@later.example', 'verification') } })).status).toBe(200);
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: 'late@later.example', password: PASSWORD, organization: org.slug } });
    expect(login.body).toMatchObject({ status: 'authenticated', organization: { id: org.id }, member: { roles: ['viewer'] } });
  });

  it('invitations from two organizations: following either proves the mailbox, so both are offered; the other link ends with the squatter\'s sign-ins', async () => {
    const first = await orgOf('FirstInviter');
    const second = await orgOf('SecondInviter');
    await signUpUnverified(h, 'twice@invited.example');
    for (const { org, adminToken } of [first, second]) await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: adminToken, body: { email: 'twice@invited.example', role: 'member' } });
    const links = await mailedTokens(h, 'twice@invited.example', 'invitation');
    expect(links).toHaveLength(2);

    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: links[0] } });
    expect(found.body.organizations.map((o: { id: string; membership: string }) => [o.id, o.membership]).sort()).toEqual(
      [[first.org.id, 'invited_member'], [second.org.id, 'invited_member']].sort(),
    );
    // The first link claimed the mailbox and ended every pending sign-in of the account, the other link with them.
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: links[1] } })).body.code).toBe('MAGIC_LINK_INVALID');
    const entered = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: found.body.intermediateToken, organization: first.org.id } });
    expect(entered.body).toMatchObject({ status: 'authenticated', organization: { id: first.org.id } });
    const moved = await h.call('POST', '/api/v1/auth/switch-organization', { token: entered.body.accessToken, body: { organization: second.org.slug } });
    expect(moved.body).toMatchObject({ status: 'authenticated', organization: { id: second.org.id }, member: { roles: ['member'] } });
  });

  it('the owner registering the address a squatter took is mailed a sign-in link, which takes the account from the squatter', async () => {
    const squatter = await signUpUnverified(h, 'founder@target.example');
    const owner = await h.call('POST', '/api/v1/auth/register', { body: { email: 'founder@target.example', password: 'the real founder chose this' } });
    expect(owner.status).toBe(202);
    const [mail] = (await h.gatehouse.persistence.outbox.listRecent('founder@target.example')).filter((m) => m.template === 'account_exists');
    expect(mail?.data['confirmed']).toBe('no');
    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: await mailedToken(h, 'founder@target.example', 'account_exists') } });
    expect(found.body.status).toBe('org_selection_required');
    expect((await h.call('GET', '/api/v1/me', { token: squatter.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    for (const password of [PASSWORD, 'the real founder chose this']) {
      expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'founder@target.example', password } })).body.code).toBe('INVALID_CREDENTIALS');
    }
  });

  /**
   * An owner who never verified their address but set up an authenticator app. Claiming the mailbox
   * takes the password (it could be a squatter's), never the second factor: whoever holds only the
   * mailbox must not get past it. A squatter's app can only block the owner, who asks an operator.
   */
  async function unverifiedWithTotp(email: string) {
    const owner = await signUpUnverified(h, email);
    const setup = await h.call('POST', '/api/v1/auth/mfa/totp/setup', { token: owner.accessToken });
    const enabled = await h.call('POST', '/api/v1/auth/mfa/totp/enable', { token: owner.accessToken, body: { code: await h.clock.totp(setup.body.secret) } });
    expect(enabled.status).toBe(200);
    h.clock.advance(30);
    return setup.body.secret as string;
  }

  it('a sign-in link to an unverified account with an authenticator app takes the password but not the app: the mailbox alone does not get in', async () => {
    const secret = await unverifiedWithTotp('cfo@target.example');
    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'cfo@target.example' } });
    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: await mailedToken(h, 'cfo@target.example', 'magic_link') } });
    expect(found.body.status).toBe('org_selection_required');
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'cfo@target.example', password: PASSWORD } })).body.code).toBe('INVALID_CREDENTIALS');
    const created = await h.call('POST', '/api/v1/auth/discovery/create-organization', { body: { intermediateToken: found.body.intermediateToken, name: 'Owner Co' } });
    expect(created.body).toMatchObject({ status: 'mfa_required' });
    expect(created.body.accessToken).toBeUndefined();
    const verified = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: created.body.mfaToken, code: await h.clock.totp(secret) } });
    expect(verified.body).toMatchObject({ status: 'authenticated', organization: { name: 'Owner Co' } });
  });

  it('a reset link to an unverified account with an authenticator app sets the password, and sign-in still asks for the app', async () => {
    await unverifiedWithTotp('cto@target.example');
    await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'cto@target.example' } });
    const reset = await h.call('POST', '/api/v1/auth/password/reset', { body: { token: await mailedToken(h, 'cto@target.example', 'password_reset'), password: 'the mailbox holder chose this' } });
    expect(reset.status).toBe(204);
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: 'cto@target.example', password: 'the mailbox holder chose this' } });
    expect(login.body.status).toBe('mfa_required');
    expect(login.body.accessToken).toBeUndefined();
  });
});
