import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StytchEmulator } from '../fakes/stytch-emulator.js';
import { type Harness, mailedTokens, organizationWithAdmin, signUp, signUpUnverified, startHarness } from '../support/http-harness.js';

const PASSWORD = 'correct horse battery staple';

/** POST …/invitations/:id/resend and DELETE …/invitations/:id: an invitation is a member who has not accepted yet. */
describe('pending invitations: resend and revoke [builtin, rate limits on]', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMITS_ENABLED: 'true' } });
  });
  afterAll(() => h.close());

  const orgOf = (name: string) => organizationWithAdmin(h, name);
  type Org = Awaited<ReturnType<typeof orgOf>>;
  const add = async (o: Org, email: string, role = 'member') => (await h.call('POST', `/api/v1/organizations/${o.org.id}/members`, { token: o.token, body: { email, role } })).body;
  const resend = (o: Org, id: string, token = o.token) => h.call('POST', `/api/v1/organizations/${o.org.id}/invitations/${id}/resend`, { token });
  const revoke = (o: Org, id: string, token = o.token) => h.call('DELETE', `/api/v1/organizations/${o.org.id}/invitations/${id}`, { token });
  const links = (email: string, template: string) => mailedTokens(h, email, template);

  it('resends an activation to an account without a password: a fresh link, the older one spent, recorded in the audit log', async () => {
    const acme = await orgOf('Resender');
    const invited = await add(acme, 'fresh@example.com');
    const [first] = await links('fresh@example.com', 'activation');
    const res = await resend(acme, invited.id);
    expect([res.status, res.body]).toEqual([202, { status: 'accepted' }]);
    const [second] = await links('fresh@example.com', 'activation'); // newest first
    expect(second).not.toBe(first);
    expect((await h.call('GET', `/api/v1/auth/activation?token=${first}`)).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    expect((await h.call('GET', `/api/v1/auth/activation?token=${second}`)).body).toMatchObject({ organization: { id: acme.org.id } });
    const audit = await h.call('GET', `/api/v1/organizations/${acme.org.id}/audit-log?action=member.invitation_resent`, { token: acme.token });
    expect(audit.body.events).toEqual([expect.objectContaining({ action: 'member.invitation_resent', targetId: invited.id })]);
  });

  it('resends an invitation link, naming the inviter and role, to an account that never proved its mailbox; the older link is spent', async () => {
    const acme = await orgOf('Relinker');
    await signUpUnverified(h, 'unproved@example.com');
    const invited = await add(acme, 'unproved@example.com', 'viewer');
    expect((await resend(acme, invited.id)).status).toBe(202);
    const mails = (await h.gatehouse.persistence.outbox.listRecent('unproved@example.com')).filter((m) => m.template === 'invitation');
    expect(mails).toHaveLength(2);
    expect(mails[0]!.data).toMatchObject({ organizationName: 'Relinker', inviterName: 'relinker-admin', role: 'viewer' });
    // The resend spent the organization's older link.
    const older = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: new URL(mails[1]!.data['link']!).searchParams.get('token') } });
    expect(older.body.code).toBe('MAGIC_LINK_INVALID');
    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: new URL(mails[0]!.data['link']!).searchParams.get('token') } });
    expect(found.body.organizations).toEqual([expect.objectContaining({ id: acme.org.id, membership: 'invited_member' })]);
  });

  it('refuses an accepted invitation (409), a stranger to member:invite (403), another organization\'s member (404) and a malformed id (400)', async () => {
    const acme = await orgOf('Guarded');
    const other = await orgOf('Elsewhere');
    await signUp(h, 'accepted@example.com');
    const active = await add(acme, 'accepted@example.com', 'viewer');
    expect(active.status).toBe('invited');
    // Accepted by signing in to the organization.
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'accepted@example.com', password: PASSWORD, organization: acme.org.id } })).body.status).toBe('authenticated');
    expect((await resend(acme, active.id)).body.code).toBe('INVITATION_NOT_PENDING');
    const revoked = await revoke(acme, active.id);
    expect([revoked.status, revoked.body.code]).toEqual([409, 'INVITATION_NOT_PENDING']);
    expect((await h.call('GET', `/api/v1/organizations/${acme.org.id}/members`, { token: acme.token })).body.members).toHaveLength(2);

    const pending = await add(acme, 'pending@example.com');
    const viewer = await h.call('POST', '/api/v1/auth/login', { body: { email: 'accepted@example.com', password: PASSWORD, organization: acme.org.id } });
    for (const attempt of [resend(acme, pending.id, viewer.body.accessToken), revoke(acme, pending.id, viewer.body.accessToken)]) {
      expect((await attempt).status).toBe(403);
    }
    // Another organization's admin names this invitation through their own organization: it does not exist there.
    for (const attempt of [resend(other, pending.id), revoke(other, pending.id)]) expect((await attempt).body.code).toBe('MEMBER_NOT_FOUND');
    const malformed = await h.call('POST', `/api/v1/organizations/${acme.org.id}/invitations/not-a-uuid/resend`, { token: acme.token });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('mails one address at most three times an hour, however many admins ask', async () => {
    const acme = await orgOf('Flooder');
    const invited = await add(acme, 'flooded@example.com');
    for (let i = 0; i < 2; i++) expect((await resend(acme, invited.id)).status).toBe(202);
    const refused = await resend(acme, invited.id);
    expect([refused.status, refused.body.code]).toEqual([429, 'RATE_LIMITED']);
    expect(await links('flooded@example.com', 'activation')).toHaveLength(3); // the first mail, then two resends
    // The cap is per address: another invitee of the same organization is mailed as before.
    const other = await add(acme, 'not-flooded@example.com');
    expect((await resend(acme, other.id)).status).toBe(202);
  });

  it('adding and removing an address over and over mails it at most three times an hour; the additions still succeed', async () => {
    const acme = await orgOf('Churner');
    const other = await orgOf('Churner2');
    const statuses: number[] = [];
    for (const org of [acme, acme, other, acme, acme]) {
      const added = await h.call('POST', `/api/v1/organizations/${org.org.id}/members`, { token: org.token, body: { email: 'churned@example.com', role: 'member' } });
      statuses.push(added.status);
      if (org === acme) expect((await revoke(acme, added.body.id)).status).toBe(204);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    expect(await links('churned@example.com', 'activation')).toHaveLength(3);
  });

  it('revokes a pending invitation: the member is gone and its link leads nowhere', async () => {
    const acme = await orgOf('Taker');
    const invited = await add(acme, 'taken-back@example.com');
    const [token] = await links('taken-back@example.com', 'activation');
    const res = await revoke(acme, invited.id);
    expect(res.status).toBe(204);
    const members = (await h.call('GET', `/api/v1/organizations/${acme.org.id}/members`, { token: acme.token })).body.members;
    expect(members.map((m: { email: string }) => m.email)).toEqual(['taker-admin@example.com']);
    expect((await h.call('POST', '/api/v1/auth/activation', { body: { token, password: 'a fresh passphrase', name: 'X' } })).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    expect((await revoke(acme, invited.id)).body.code).toBe('MEMBER_NOT_FOUND');
    const audit = await h.call('GET', `/api/v1/organizations/${acme.org.id}/audit-log?action=member.invitation_revoked`, { token: acme.token });
    expect(audit.body.events).toHaveLength(1);
  });
});

describe('pending invitations [stytch over its emulator]', () => {
  let emulator: StytchEmulator;
  let h: Harness;
  beforeAll(async () => {
    emulator = await StytchEmulator.start();
    h = await startHarness({ env: emulator.gatehouseEnv('whsec_aW52aXRhdGlvbnMtdGVzdC13ZWJob29rLXNlY3JldA') });
  });
  afterAll(async () => {
    await h.close();
    await emulator.stop();
  });

  it('leaves resending to Stytch, which mails its own invitations (501), and revokes through it', async () => {
    const org = emulator.seedOrganization({ name: 'Stytched', slug: 'stytched' });
    emulator.seedMember(org.organization_id, { email: 'owner@stytched.example', password: PASSWORD, emailVerified: true, roles: ['stytch_admin'] });
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: 'owner@stytched.example', password: PASSWORD, organization: 'stytched' } });
    expect(login.body.status).toBe('authenticated');
    const invited = await h.call('POST', '/api/v1/organizations/stytched/members', { token: login.body.accessToken, body: { email: 'new@stytched.example', role: 'member' } });
    expect(invited.body.status).toBe('invited');
    const res = await h.call('POST', `/api/v1/organizations/stytched/invitations/${invited.body.id}/resend`, { token: login.body.accessToken });
    expect([res.status, res.body.code]).toEqual([501, 'IDENTITY_CAPABILITY_UNSUPPORTED']);
    expect((await h.call('DELETE', `/api/v1/organizations/stytched/invitations/${invited.body.id}`, { token: login.body.accessToken })).status).toBe(204);
    expect(emulator.memberByEmail(org.organization_id, 'new@stytched.example')).toBeNull();
  });
});
