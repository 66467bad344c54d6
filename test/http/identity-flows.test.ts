import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, mailedToken, signUp, signUpUnverified, startHarness } from '../support/http-harness.js';

const PASSWORD = 'correct horse battery staple';

describe('built-in identity flows over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const mailCount = async (email: string) => (await h.gatehouse.persistence.outbox.listRecent(email)).length;

  it('register → verification mail → verify signs in and marks the email verified; a link works once', async () => {
    await h.call('POST', '/api/v1/auth/register', { body: { email: 'verify@example.com', password: PASSWORD } });
    const token = await mailedToken(h, 'verify@example.com', 'verification');
    const verified = await h.call('POST', '/api/v1/auth/verify-email', { body: { token } });
    expect(verified.body.status).toBe('authenticated');
    const me = await h.call('GET', '/api/v1/me', { token: verified.body.accessToken });
    expect(me.body.user.emailVerified).toBe(true);
    const again = await h.call('POST', '/api/v1/auth/verify-email', { body: { token } });
    expect([again.status, again.body.code]).toEqual([400, 'VERIFICATION_TOKEN_INVALID']);
  });

  it('registering a taken address answers like a new one, changes nothing, and mails the owner a sign-in link instead of leaving them waiting', async () => {
    await signUp(h, 'twice-registered@example.com');
    const again = await h.call('POST', '/api/v1/auth/register', { body: { email: 'Twice-Registered@example.com', password: 'a different passphrase' } });
    const fresh = await h.call('POST', '/api/v1/auth/register', { body: { email: 'once-registered@example.com', password: 'a different passphrase' } });
    expect([again.status, again.body]).toEqual([fresh.status, fresh.body]);
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'twice-registered@example.com', password: 'a different passphrase' } })).body.code).toBe('INVALID_CREDENTIALS');

    const [mail] = (await h.gatehouse.persistence.outbox.listRecent('twice-registered@example.com')).filter((m) => m.template === 'account_exists');
    expect(mail?.data).toMatchObject({ confirmed: 'yes', expiresInMinutes: '15' });
    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: await mailedToken(h, 'twice-registered@example.com', 'account_exists') } });
    expect(found.body.status).toBe('org_selection_required');
    // A confirmed account keeps its password when its owner signs in by that link.
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'twice-registered@example.com', password: PASSWORD } })).body.status).toBe('authenticated');
    // The new address got its verification mail, and nothing else.
    expect((await h.gatehouse.persistence.outbox.listRecent('once-registered@example.com')).map((m) => m.template)).toEqual(['verification']);
  });

  it('forgot password answers the same for known and unknown emails and mails only the owner', async () => {
    await signUp(h, 'reset@example.com');
    const before = await mailCount('reset@example.com');
    const known = await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'reset@example.com' } });
    const unknown = await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'ghost@example.com' } });
    expect(known.status).toBe(202);
    expect({ ...known.body }).toEqual({ ...unknown.body });
    expect(await mailCount('reset@example.com')).toBe(before + 1);
    expect(await mailCount('ghost@example.com')).toBe(0);
  });

  it('reset sets the password once, ends every session, does not sign in, and expires after an hour', async () => {
    const session = await signUp(h, 'reset2@example.com');
    await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'reset2@example.com' } });
    const token = await mailedToken(h, 'reset2@example.com', 'password_reset');
    const weak = await h.call('POST', '/api/v1/auth/password/reset', { body: { token, password: 'password1234' } });
    expect([weak.status, weak.body.code, weak.body.details?.reason]).toEqual([400, 'PASSWORD_POLICY_VIOLATION', 'common']);
    const reset = await h.call('POST', '/api/v1/auth/password/reset', { body: { token, password: 'a brand new passphrase' } });
    expect(reset.status).toBe(204);
    expect(reset.body.accessToken).toBeUndefined();
    expect((await h.call('GET', '/api/v1/me', { token: session.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    expect((await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'reset2@example.com', password: PASSWORD } })).body.code).toBe('INVALID_CREDENTIALS');
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'reset2@example.com', password: 'a brand new passphrase' } })).status).toBe(200);
    const reuse = await h.call('POST', '/api/v1/auth/password/reset', { body: { token, password: 'yet another passphrase' } });
    expect(reuse.body.code).toBe('RESET_TOKEN_INVALID');

    await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'reset2@example.com' } });
    const late = await mailedToken(h, 'reset2@example.com', 'password_reset');
    h.clock.advance(3601);
    expect((await h.call('POST', '/api/v1/auth/password/reset', { body: { token: late, password: 'too late passphrase' } })).body.code).toBe('RESET_TOKEN_INVALID');
  });

  it('a newer reset link supersedes the older one', async () => {
    await signUp(h, 'reset3@example.com');
    await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'reset3@example.com' } });
    const first = await mailedToken(h, 'reset3@example.com', 'password_reset');
    await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'reset3@example.com' } });
    expect((await h.call('POST', '/api/v1/auth/password/reset', { body: { token: first, password: 'superseded passphrase' } })).body.code).toBe('RESET_TOKEN_INVALID');
  });

  it('changes the password with the current one; other sessions end, this one stays', async () => {
    const a = await signUp(h, 'change@example.com');
    const b = await h.call('POST', '/api/v1/auth/login', { body: { email: 'change@example.com', password: PASSWORD } });
    const wrong = await h.call('POST', '/api/v1/auth/password/change', { token: a.accessToken, body: { currentPassword: 'nope nope nope', newPassword: 'another fine passphrase' } });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const ok = await h.call('POST', '/api/v1/auth/password/change', { token: a.accessToken, body: { currentPassword: PASSWORD, newPassword: 'another fine passphrase' } });
    expect(ok.status).toBe(204);
    expect((await h.call('GET', '/api/v1/me', { token: a.accessToken })).status).toBe(200);
    expect((await h.call('GET', '/api/v1/me', { token: b.body.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
  });

  it('activates an invited member: preview, set password and name, signed in to the organization; resend supersedes', async () => {
    const admin = await signUp(h, 'inviter@example.com');
    const org = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name: 'Invite Co' } });
    const adminIn = await h.call('POST', '/api/v1/auth/login', { body: { email: 'inviter@example.com', password: PASSWORD } });
    const added = await h.call('POST', `/api/v1/organizations/${org.body.id}/members`, { token: adminIn.body.accessToken, body: { email: 'newbie@example.com', role: 'member' } });
    expect(added.body.status).toBe('invited');
    const first = await mailedToken(h, 'newbie@example.com', 'activation');
    const preview = await h.call('GET', `/api/v1/auth/activation?token=${first}`);
    expect(preview.body).toEqual({ valid: true, email: 'newbie@example.com', organization: { id: org.body.id, slug: org.body.slug, name: 'Invite Co' } });

    const resendKnown = await h.call('POST', '/api/v1/auth/activation/resend', { body: { email: 'newbie@example.com' } });
    const resendUnknown = await h.call('POST', '/api/v1/auth/activation/resend', { body: { email: 'nobody-here@example.com' } });
    expect([resendKnown.status, resendKnown.body]).toEqual([resendUnknown.status, resendUnknown.body]);
    expect(await mailCount('nobody-here@example.com')).toBe(0);
    expect((await h.call('GET', `/api/v1/auth/activation?token=${first}`)).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    const second = await mailedToken(h, 'newbie@example.com', 'activation');

    const activated = await h.call('POST', '/api/v1/auth/activation', { body: { token: second, password: 'my own passphrase', name: 'New Bie' } });
    expect(activated.body).toMatchObject({ status: 'authenticated', organization: { id: org.body.id }, member: { roles: ['member'] }, user: { name: 'New Bie' } });
    expect((await h.call('POST', '/api/v1/auth/activation', { body: { token: second, password: 'my own passphrase', name: 'X' } })).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    const members = await h.call('GET', `/api/v1/organizations/${org.body.id}/members`, { token: adminIn.body.accessToken });
    expect(members.body.members.find((m: { email: string }) => m.email === 'newbie@example.com').status).toBe('active');
    // An active account has nothing pending: resend sends nothing more.
    const count = await mailCount('newbie@example.com');
    await h.call('POST', '/api/v1/auth/activation/resend', { body: { email: 'newbie@example.com' } });
    expect(await mailCount('newbie@example.com')).toBe(count);
  });

  it('activation links expire after 72 hours', async () => {
    const admin = await signUp(h, 'inviter2@example.com');
    const org = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name: 'Expire Co' } });
    const adminIn = await h.call('POST', '/api/v1/auth/login', { body: { email: 'inviter2@example.com', password: PASSWORD } });
    await h.call('POST', `/api/v1/organizations/${org.body.id}/members`, { token: adminIn.body.accessToken, body: { email: 'slow@example.com' } });
    const token = await mailedToken(h, 'slow@example.com', 'activation');
    h.clock.advance(72 * 3600 + 1);
    expect((await h.call('POST', '/api/v1/auth/activation', { body: { token, password: 'my own passphrase', name: 'Slow' } })).body.code).toBe('ACTIVATION_TOKEN_INVALID');
  });

  it('magic-link discovery: a new person creates an organization; links and intermediate tokens work once', async () => {
    const sent = await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'founder@example.com' } });
    expect(sent.status).toBe(202);
    const token = await mailedToken(h, 'founder@example.com', 'magic_link');
    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token } });
    expect(found.body).toMatchObject({ status: 'org_selection_required', organizations: [] });
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token } })).body.code).toBe('MAGIC_LINK_INVALID');
    const created = await h.call('POST', '/api/v1/auth/discovery/create-organization', { body: { intermediateToken: found.body.intermediateToken, name: 'Founder Labs' } });
    expect(created.body).toMatchObject({ status: 'authenticated', organization: { slug: 'founder-labs' }, member: { roles: ['admin'] } });
    const again = await h.call('POST', '/api/v1/auth/discovery/create-organization', { body: { intermediateToken: found.body.intermediateToken, name: 'Twice' } });
    expect(again.body.code).toBe('INTERMEDIATE_TOKEN_INVALID');
  });

  it('discovery lists active, invited and domain-eligible organizations, and entering one joins it', async () => {
    const owner = await signUp(h, 'owner@corp.example');
    const org = await h.call('POST', '/api/v1/organizations', { token: owner.accessToken, body: { name: 'Corp' } });
    const ownerIn = await h.call('POST', '/api/v1/auth/login', { body: { email: 'owner@corp.example', password: PASSWORD } });
    await h.call('PATCH', `/api/v1/organizations/${org.body.id}`, { token: ownerIn.body.accessToken, body: { policy: { allowedEmailDomains: ['corp.example'] } } });
    const invitedOrg = await h.call('POST', '/api/v1/organizations', { token: ownerIn.body.accessToken, body: { name: 'Partner' } });
    const ownerPartner = await h.call('POST', '/api/v1/auth/switch-organization', { token: ownerIn.body.accessToken, body: { organization: invitedOrg.body.id } });
    await h.call('POST', `/api/v1/organizations/${invitedOrg.body.id}/members`, { token: ownerPartner.body.accessToken, body: { email: 'colleague@corp.example', role: 'viewer' } });

    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'Colleague@Corp.example' } });
    const token = await mailedToken(h, 'colleague@corp.example', 'magic_link');
    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token } });
    const kinds = Object.fromEntries(found.body.organizations.map((o: { name: string; membership: string }) => [o.name, o.membership]));
    expect(kinds).toEqual({ Corp: 'eligible_by_domain', Partner: 'invited_member' });
    const joined = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: found.body.intermediateToken, organization: org.body.slug } });
    expect(joined.body).toMatchObject({ status: 'authenticated', organization: { id: org.body.id }, member: { roles: ['member'] } });
  });

  it('an organization listing a domain it does not own gets nobody without asking: a verified newcomer, or a password sign-in with only an invitation, is offered the choice', async () => {
    const claimer = await signUp(h, 'admin@claimer.example');
    const org = await h.call('POST', '/api/v1/organizations', { token: claimer.accessToken, body: { name: 'Claimer' } });
    const inside = await h.call('POST', '/api/v1/auth/login', { body: { email: 'admin@claimer.example', password: PASSWORD, organization: org.body.id } });
    await h.call('PATCH', `/api/v1/organizations/${org.body.id}`, { token: inside.body.accessToken, body: { policy: { allowedEmailDomains: ['victimco.example'] } } });

    await h.call('POST', '/api/v1/auth/register', { body: { email: 'newhire@victimco.example', password: PASSWORD } });
    const verified = await h.call('POST', '/api/v1/auth/verify-email', { body: { token: await mailedToken(h, 'newhire@victimco.example', 'verification') } });
    expect(verified.body).toMatchObject({ status: 'org_selection_required', organizations: [{ id: org.body.id, membership: 'eligible_by_domain' }] });
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: 'newhire@victimco.example', password: PASSWORD } });
    expect(login.body.status).toBe('org_selection_required');
    const members = await h.call('GET', `/api/v1/organizations/${org.body.id}/members`, { token: inside.body.accessToken });
    expect(members.body.members.map((m: { email: string }) => m.email)).toEqual(['admin@claimer.example']);

    // An invitation is offered the same way (here to an account that proved its mailbox after being invited); picking it accepts it.
    await signUpUnverified(h, 'guest@elsewhere.example');
    await h.call('POST', `/api/v1/organizations/${org.body.id}/members`, { token: inside.body.accessToken, body: { email: 'guest@elsewhere.example', role: 'viewer' } });
    const guestVerified = await h.call('POST', '/api/v1/auth/verify-email', { body: { token: await mailedToken(h, 'guest@elsewhere.example', 'verification') } });
    expect(guestVerified.body.status).toBe('org_selection_required');
    const guest = await h.call('POST', '/api/v1/auth/login', { body: { email: 'guest@elsewhere.example', password: PASSWORD } });
    expect(guest.body).toMatchObject({ status: 'org_selection_required', organizations: [{ id: org.body.id, membership: 'invited_member' }] });
    const accepted = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: guest.body.intermediateToken, organization: org.body.id } });
    expect(accepted.body).toMatchObject({ status: 'authenticated', organization: { id: org.body.id }, member: { roles: ['viewer'] } });
  });

  it('refuses a magic-link redirect to an origin it does not trust', async () => {
    const res = await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'x@example.com', redirectUrl: 'https://evil.example/steal' } });
    expect([res.status, res.body.code]).toEqual([400, 'REDIRECT_URL_NOT_ALLOWED']);
    const ok = await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'x@example.com', redirectUrl: 'http://localhost:3000/callback?next=/home' } });
    expect(ok.status).toBe(202);
    const link = (await h.gatehouse.persistence.outbox.listRecent('x@example.com'))[0]!.data['link']!;
    expect(link).toMatch(/^http:\/\/localhost:3000\/callback\?next=%2Fhome&token=[A-Za-z0-9_-]{43}$/);
  });

  it('answers forgot-password, resend-activation and magic-link alike for unknown and known emails', async () => {
    await signUp(h, 'known@example.com');
    for (const path of ['/api/v1/auth/password/forgot', '/api/v1/auth/activation/resend', '/api/v1/auth/discovery/magic-link']) {
      const known = await h.call('POST', path, { body: { email: 'known@example.com' } });
      const unknown = await h.call('POST', path, { body: { email: 'unknown-person@example.com' } });
      expect([known.status, known.body], path).toEqual([unknown.status, unknown.body]);
      expect(known.headers.get('content-length'), path).toBe(unknown.headers.get('content-length'));
    }
  });

  it('mails the owner about a sign-in from a new address, not about one from a known address', async () => {
    await signUpUnverified(h, 'notice@example.com');
    const notices = async () => (await h.gatehouse.persistence.outbox.listRecent('notice@example.com')).filter((m) => m.template === 'new_sign_in');
    expect(await notices()).toHaveLength(1);
    await h.call('POST', '/api/v1/auth/login', { body: { email: 'notice@example.com', password: PASSWORD } });
    expect(await notices()).toHaveLength(1);
    expect((await notices())[0]!.data).toMatchObject({ ip: '127.0.0.1' });
  });

  it('refuses a link token spent on another purpose than its own (foreign tokens)', async () => {
    await signUp(h, 'foreign@example.com');
    await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'foreign@example.com' } });
    const reset = await mailedToken(h, 'foreign@example.com', 'password_reset');
    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'foreign@example.com' } });
    const magic = await mailedToken(h, 'foreign@example.com', 'magic_link');
    const verification = await mailedToken(h, 'foreign@example.com', 'verification');
    expect((await h.call('POST', '/api/v1/auth/verify-email', { body: { token: reset } })).body.code).toBe('VERIFICATION_TOKEN_INVALID');
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: reset } })).body.code).toBe('MAGIC_LINK_INVALID');
    expect((await h.call('POST', '/api/v1/auth/password/reset', { body: { token: magic, password: 'a fresh passphrase' } })).body.code).toBe('RESET_TOKEN_INVALID');
    expect((await h.call('POST', '/api/v1/auth/activation', { body: { token: verification, password: 'a fresh passphrase', name: 'X' } })).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    expect((await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: magic, organization: 'anything' } })).body.code).toBe('INTERMEDIATE_TOKEN_INVALID');
    // Each token still works for its own purpose afterwards: a wrong-purpose attempt burns nothing. (The magic
    // link first: a reset spends the links still on their way to a session.)
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: magic } })).status).toBe(200);
    expect((await h.call('POST', '/api/v1/auth/password/reset', { body: { token: reset, password: 'a fresh passphrase' } })).status).toBe(204);
  });

  it('joining by email domain takes a seat: beyond the plan the join is refused and nothing is written', async () => {
    const owner = await signUp(h, 'owner@full.example');
    const org = await h.call('POST', '/api/v1/organizations', { token: owner.accessToken, body: { name: 'Full House' } });
    const ownerIn = await h.call('POST', '/api/v1/auth/login', { body: { email: 'owner@full.example', password: PASSWORD } });
    await h.call('PATCH', `/api/v1/organizations/${org.body.id}`, { token: ownerIn.body.accessToken, body: { policy: { allowedEmailDomains: ['full.example'] } } });
    for (let i = 0; i < 4; i++) await h.call('POST', `/api/v1/organizations/${org.body.id}/members`, { token: ownerIn.body.accessToken, body: { email: `seat${i}@elsewhere.example` } });
    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'late@full.example' } });
    const found = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: await mailedToken(h, 'late@full.example', 'magic_link') } });
    const join = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: found.body.intermediateToken, organization: org.body.id } });
    expect([join.status, join.body.code]).toEqual([409, 'ENTITLEMENT_EXCEEDED']);
    const members = await h.call('GET', `/api/v1/organizations/${org.body.id}/members`, { token: ownerIn.body.accessToken });
    expect(members.body.members).toHaveLength(5);
  });
});

// Its own server: the per-IP limits would otherwise count the sign-ins of the tests above.
describe('sign-ins under way when the credentials change', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const login = (password: string) => h.call('POST', '/api/v1/auth/login', { body: { email: 'underway@example.com', password } });

  it('a reset, a change and logout-everywhere spend the organization picks and magic links begun before them', async () => {
    const first = await signUp(h, 'underway@example.com');
    for (const name of ['Underway One', 'Underway Two']) expect((await h.call('POST', '/api/v1/organizations', { token: first.accessToken, body: { name } })).status).toBe(201);
    const before = await login(PASSWORD);
    expect(before.body.status).toBe('org_selection_required');
    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'underway@example.com' } });
    const magic = await mailedToken(h, 'underway@example.com', 'magic_link');

    await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'underway@example.com' } });
    const reset = await mailedToken(h, 'underway@example.com', 'password_reset');
    expect((await h.call('POST', '/api/v1/auth/password/reset', { body: { token: reset, password: 'a brand new passphrase' } })).status).toBe(204);
    const exchange = (intermediateToken: string) => h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken, organization: 'underway-one' } });
    expect((await exchange(before.body.intermediateToken)).body.code).toBe('INTERMEDIATE_TOKEN_INVALID');
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: magic } })).body.code).toBe('MAGIC_LINK_INVALID');

    const inside = await h.call('POST', '/api/v1/auth/login', { body: { email: 'underway@example.com', password: 'a brand new passphrase', organization: 'underway-one' } });
    const pending = await login('a brand new passphrase');
    expect((await h.call('POST', '/api/v1/auth/password/change', { token: inside.body.accessToken, body: { currentPassword: 'a brand new passphrase', newPassword: 'another fine passphrase' } })).status).toBe(204);
    expect((await exchange(pending.body.intermediateToken)).body.code).toBe('INTERMEDIATE_TOKEN_INVALID');

    const later = await login('another fine passphrase');
    expect((await h.call('POST', '/api/v1/auth/logout-everywhere', { token: inside.body.accessToken })).status).toBeLessThan(300);
    expect((await exchange(later.body.intermediateToken)).body.code).toBe('INTERMEDIATE_TOKEN_INVALID');
  });

  it('a newer magic link supersedes the older one', async () => {
    await signUp(h, 'twice@example.com');
    const link = () => mailedToken(h, 'twice@example.com', 'magic_link');
    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'twice@example.com' } });
    const older = await link();
    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'twice@example.com' } });
    const newer = await link();
    expect(newer).not.toBe(older);
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: older } })).body.code).toBe('MAGIC_LINK_INVALID');
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: newer } })).status).toBe(200);
  });

  it('the mailbox owner arriving by magic link takes an address someone registered before them: their password and sessions go', async () => {
    // The squatter registers the victim's address with a password of their own and signs in; nobody verifies it.
    const squatter = await signUpUnverified(h, 'claimed@example.com');
    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'claimed@example.com' } });
    const owner = await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: await mailedToken(h, 'claimed@example.com', 'magic_link') } });
    expect(owner.body.status).toBe('org_selection_required');
    expect((await h.call('GET', '/api/v1/me', { token: squatter.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'claimed@example.com', password: PASSWORD } })).body.code).toBe('INVALID_CREDENTIALS');

    // An owner who verified their address keeps their password when they use a magic link.
    await signUpUnverified(h, 'verified@example.com');
    expect((await h.call('POST', '/api/v1/auth/verify-email', { body: { token: await mailedToken(h, 'verified@example.com', 'verification') } })).status).toBe(200);
    await h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email: 'verified@example.com' } });
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: await mailedToken(h, 'verified@example.com', 'magic_link') } })).status).toBe(200);
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'verified@example.com', password: PASSWORD } })).body.status).toBe('authenticated');
  });
});
