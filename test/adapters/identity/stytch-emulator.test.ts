import { randomBytes, scryptSync } from 'node:crypto';
import { B2BClient } from 'stytch';
import { describe, expect, it } from 'vitest';
import { advance, clock, emulator, magicLinkSession, stytch, stytchError, tick, useStytchEmulator } from './stytch-emulator-world.js';

/** The real `stytch` SDK against the emulator: directory, discovery, passwords and MFA (sessions and faults: stytch-emulator-sessions.test.ts). */
useStytchEmulator();

describe('credentials', () => {
  it('refuses a wrong secret with 401 unauthorized_credentials', async () => {
    const intruder = new B2BClient({ project_id: emulator.projectId, secret: 'secret-test-wrong', env: emulator.url });
    const error = await stytchError(intruder.organizations.search({}));
    expect(error.status_code).toBe(401);
    expect(error.error_type).toBe('unauthorized_credentials');
    expect(error.request_id).toMatch(/^request-id-test-/);
  });
});

describe('organizations and members', () => {
  it('creates, reads, updates, searches and deletes organizations and members', async () => {
    const { organization } = await stytch.organizations.create({ organization_name: 'Acme', organization_slug: 'acme', email_allowed_domains: ['acme.test'] });
    expect(organization.organization_id).toMatch(/^organization-test-[0-9a-f-]{36}$/);
    expect(organization).toMatchObject({ organization_name: 'Acme', organization_slug: 'acme', mfa_policy: 'OPTIONAL', email_allowed_domains: ['acme.test'], email_jit_provisioning: 'NOT_ALLOWED' });
    expect((await stytch.organizations.get({ organization_id: organization.organization_id })).organization.organization_slug).toBe('acme');
    expect((await stytchError(stytch.organizations.create({ organization_name: 'Other', organization_slug: 'acme' }))).error_type).toBe('organization_slug_already_used');

    tick(1000);
    const updated = await stytch.organizations.update({ organization_id: organization.organization_id, organization_name: 'Acme Inc', mfa_policy: 'REQUIRED_FOR_ALL' });
    expect(updated.organization).toMatchObject({ organization_name: 'Acme Inc', mfa_policy: 'REQUIRED_FOR_ALL', created_at: organization.created_at });
    expect(updated.organization.updated_at).not.toBe(organization.updated_at);

    const created = await stytch.organizations.members.create({ organization_id: organization.organization_id, email_address: 'Ada@Acme.test', name: 'Ada', roles: ['billing_admin'] });
    expect(created.member.member_id).toMatch(/^member-test-/);
    expect(created.member).toMatchObject({ email_address: 'ada@acme.test', status: 'active', name: 'Ada', is_admin: false, email_address_verified: false, mfa_enrolled: false, totp_registration_id: '' });
    expect(created.member.roles.map((r) => r.role_id)).toEqual(['stytch_member', 'billing_admin']);
    expect(created.member.roles[0]?.sources).toEqual([{ type: 'direct_assignment', details: {} }]);
    const duplicate = await stytchError(stytch.organizations.members.create({ organization_id: organization.organization_id, email_address: 'ada@acme.test' }));
    expect([duplicate.status_code, duplicate.error_type]).toEqual([400, 'duplicate_member_email']);

    const byEmail = await stytch.organizations.members.get({ organization_id: organization.organization_id, email_address: 'ada@acme.test' });
    expect(byEmail.member_id).toBe(created.member_id);
    tick(1000);
    const changed = await stytch.organizations.members.update({ organization_id: organization.organization_id, member_id: created.member_id, name: 'Ada L.', roles: ['stytch_admin'] });
    expect(changed.member).toMatchObject({ name: 'Ada L.', is_admin: true });
    expect(changed.member.roles.map((r) => r.role_id)).toEqual(['stytch_member', 'stytch_admin']);
    expect(changed.member.updated_at).not.toBe(created.member.updated_at);

    const other = emulator.seedOrganization({ name: 'Other', slug: 'other' });
    emulator.seedMember(other.organization_id, { email: 'bob@other.test' });
    const search = await stytch.organizations.members.search({ organization_ids: [organization.organization_id, other.organization_id] });
    expect(search.members.map((m) => m.email_address).sort()).toEqual(['ada@acme.test', 'bob@other.test']);
    expect(Object.keys(search.organizations).sort()).toEqual([organization.organization_id, other.organization_id].sort());
    const filtered = await stytch.organizations.members.search({ organization_ids: [organization.organization_id, other.organization_id], query: { operator: 'AND', operands: [{ filter_name: 'member_emails', filter_value: ['bob@other.test'] }] } });
    expect(filtered.members.map((m) => m.email_address)).toEqual(['bob@other.test']);
    const orgs = await stytch.organizations.search({ query: { operator: 'AND', operands: [{ filter_name: 'organization_ids', filter_value: [other.organization_id] }] } });
    expect(orgs.organizations.map((o) => o.organization_slug)).toEqual(['other']);
    expect((await stytch.organizations.search({})).results_metadata.total).toBe(2);

    expect((await stytch.organizations.members.delete({ organization_id: organization.organization_id, member_id: created.member_id })).member_id).toBe(created.member_id);
    expect((await stytchError(stytch.organizations.members.get({ organization_id: organization.organization_id, member_id: created.member_id }))).error_type).toBe('member_not_found');
    await stytch.organizations.delete({ organization_id: organization.organization_id });
    const gone = await stytchError(stytch.organizations.get({ organization_id: organization.organization_id }));
    expect([gone.status_code, gone.error_type]).toEqual([404, 'organization_not_found']);
    expect(emulator.organization(organization.organization_id)).toBeNull();
  });

  it('reflects dashboard-side changes made through the seeding API', async () => {
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme' });
    const member = emulator.seedMember(org.organization_id, { email: 'ada@acme.test', roles: ['stytch_admin'] });
    tick(1000);
    const changed = emulator.updateMember(org.organization_id, member.member_id, { name: 'Ada', roles: [] });
    expect(changed.updated_at).not.toBe(member.updated_at);
    const fetched = await stytch.organizations.members.get({ organization_id: org.organization_id, member_id: member.member_id });
    expect(fetched.member).toMatchObject({ name: 'Ada', is_admin: false });
    emulator.deleteMember(org.organization_id, member.member_id);
    expect(emulator.memberByEmail(org.organization_id, 'ada@acme.test')).toBeNull();
  });
});

describe('discovery by email magic link', () => {
  it('sends a single-use link, lists active, invited and domain-eligible organizations, and exchanges into one', async () => {
    const active = emulator.seedOrganization({ name: 'Active', slug: 'active' });
    const invited = emulator.seedOrganization({ name: 'Invited', slug: 'invited' });
    const byDomain = emulator.seedOrganization({ name: 'Domain', slug: 'domain', emailJitProvisioning: 'RESTRICTED', emailAllowedDomains: ['example.test'] });
    emulator.seedOrganization({ name: 'Unrelated', slug: 'unrelated' });
    const ada = emulator.seedMember(active.organization_id, { email: 'ada@example.test', roles: ['stytch_admin'] });
    const pending = emulator.seedMember(invited.organization_id, { email: 'ada@example.test', status: 'invited' });

    await stytch.magicLinks.email.discovery.send({ email_address: 'ada@example.test' });
    const token = emulator.lastMagicLinkToken('ada@example.test');
    expect(token).toEqual(expect.any(String));
    const discovery = await stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: token ?? '' });
    expect(discovery.email_address).toBe('ada@example.test');
    expect(discovery.intermediate_session_token).toEqual(expect.any(String));
    const summary = discovery.discovered_organizations.map((d) => [d.organization?.organization_slug, d.membership?.type, d.member_authenticated]);
    expect(summary).toEqual([
      ['active', 'active_member', false],
      ['invited', 'invited_member', false],
      ['domain', 'eligible_to_join_by_email_domain', false],
    ]);
    expect(discovery.discovered_organizations[0]?.membership?.member?.member_id).toBe(ada.member_id);

    const replay = await stytchError(stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: token ?? '' }));
    expect([replay.status_code, replay.error_type]).toEqual([404, 'magic_link_not_found']);

    const listed = await stytch.discovery.organizations.list({ intermediate_session_token: discovery.intermediate_session_token });
    expect(listed.discovered_organizations).toHaveLength(3);

    const joined = await stytch.discovery.intermediateSessions.exchange({ intermediate_session_token: discovery.intermediate_session_token, organization_id: invited.organization_id });
    expect(joined.member_authenticated).toBe(true);
    expect(joined.member).toMatchObject({ member_id: pending.member_id, status: 'active', email_address_verified: true });
    expect(joined.member_session?.authentication_factors.map((f) => [f.type, f.delivery_method])).toEqual([['magic_link', 'email']]);
    expect(joined.member_session?.member_session_id).toMatch(/^member-session-test-/);
    const used = await stytchError(stytch.discovery.intermediateSessions.exchange({ intermediate_session_token: discovery.intermediate_session_token, organization_id: active.organization_id }));
    expect(used.error_type).toBe('intermediate_session_not_found');

    await stytch.magicLinks.email.discovery.send({ email_address: 'ada@example.test' });
    const second = await stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: emulator.lastMagicLinkToken('ada@example.test') ?? '' });
    const jit = await stytch.discovery.intermediateSessions.exchange({ intermediate_session_token: second.intermediate_session_token, organization_id: byDomain.organization_id });
    expect(jit.member).toMatchObject({ email_address: 'ada@example.test', status: 'active', organization_id: byDomain.organization_id });
    expect(emulator.memberByEmail(byDomain.organization_id, 'ada@example.test')?.member_id).toBe(jit.member_id);
  });

  it('expires links and intermediate sessions after 10 minutes', async () => {
    await stytch.magicLinks.email.discovery.send({ email_address: 'ada@example.test' });
    const token = emulator.lastMagicLinkToken('ada@example.test') ?? '';
    advance(11);
    expect((await stytchError(stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: token }))).error_type).toBe('magic_link_not_found');

    await stytch.magicLinks.email.discovery.send({ email_address: 'ada@example.test' });
    const { intermediate_session_token } = await stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: emulator.lastMagicLinkToken('ada@example.test') ?? '' });
    advance(10);
    const expired = await stytchError(stytch.discovery.organizations.list({ intermediate_session_token }));
    expect([expired.status_code, expired.error_type]).toEqual([404, 'intermediate_session_not_found']);
  });

  it('creates an organization from an intermediate session with the person as stytch_admin', async () => {
    await stytch.magicLinks.email.discovery.send({ email_address: 'founder@new.test' });
    const { intermediate_session_token } = await stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: emulator.lastMagicLinkToken('founder@new.test') ?? '' });
    const created = await stytch.discovery.organizations.create({ intermediate_session_token, organization_name: 'New Co', organization_slug: 'new-co' });
    expect(created.organization).toMatchObject({ organization_name: 'New Co', organization_slug: 'new-co' });
    expect(created.member).toMatchObject({ email_address: 'founder@new.test', is_admin: true, status: 'active', email_address_verified: true });
    expect(created.member_session?.roles).toEqual(['stytch_member', 'stytch_admin']);
    expect(created.session_token).not.toBe('');
    expect(emulator.organizationBySlug('new-co')?.organization_id).toBe(created.organization.organization_id);
  });

  it('accepts an invite link with magicLinks.authenticate', async () => {
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme' });
    const invite = await stytch.magicLinks.email.invite({ organization_id: org.organization_id, email_address: 'new@acme.test', name: 'New', roles: ['editor'] });
    expect(invite.member).toMatchObject({ status: 'invited', name: 'New' });
    const accepted = await stytch.magicLinks.authenticate({ magic_links_token: emulator.lastMagicLinkToken('new@acme.test') ?? '' });
    expect(accepted.member).toMatchObject({ member_id: invite.member_id, status: 'active', email_address_verified: true });
    expect(accepted.member_session?.roles).toEqual(['stytch_member', 'editor']);
  });
});

/** A session in `organizationId` through the discovery magic-link flow. */
describe('passwords', () => {
  it('authenticates in an organization and refuses a wrong password', async () => {
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme' });
    const ada = emulator.seedMember(org.organization_id, { email: 'ada@acme.test', password: 'correct horse battery staple' });
    const ok = await stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@acme.test', password: 'correct horse battery staple', session_duration_minutes: 30 });
    expect(ok).toMatchObject({ member_id: ada.member_id, organization_id: org.organization_id, member_authenticated: true, intermediate_session_token: '' });
    expect(ok.member_session?.authentication_factors.map((f) => [f.type, f.delivery_method])).toEqual([['password', 'knowledge']]);
    expect(Date.parse(ok.member_session?.expires_at ?? '') - clock.getTime()).toBe(30 * 60_000);
    const wrong = await stytchError(stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@acme.test', password: 'wrong' }));
    expect([wrong.status_code, wrong.error_type]).toEqual([401, 'unauthorized_credentials']);
  });

  it('imports a scrypt hash with passwords.migrate (base64 hash and salt, as Gatehouse sends it) and authenticates with the password', async () => {
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme' });
    const ada = emulator.seedMember(org.organization_id, { email: 'ada@acme.test' });
    const old = await magicLinkSession('ada@acme.test', org.organization_id);
    const salt = randomBytes(16);
    const params = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }; // lighter than Gatehouse's N=2^15 p=3, same code path
    const hash = scryptSync('migrated-password-1', salt, 32, params);
    const scrypt_config = { salt: salt.toString('base64'), n_parameter: params.N, r_parameter: params.r, p_parameter: params.p, key_length: 32 };
    const migrated = await stytch.passwords.migrate({ email_address: 'ada@acme.test', organization_id: org.organization_id, hash_type: 'scrypt', hash: hash.toString('base64'), scrypt_config, preserve_existing_sessions: true });
    expect(migrated).toMatchObject({ member_id: ada.member_id, member_created: false });
    expect(migrated.member.member_password_id).toMatch(/^member-password-test-/);
    await stytch.sessions.authenticate({ session_token: old.session_token }); // preserved
    const ok = await stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@acme.test', password: 'migrated-password-1' });
    expect(ok.member_id).toBe(ada.member_id);
    expect((await stytchError(stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@acme.test', password: 'migrated-password-2' }))).error_type).toBe('unauthorized_credentials');
    const created = await stytch.passwords.migrate({ email_address: 'new@acme.test', organization_id: org.organization_id, hash_type: 'scrypt', hash: hash.toString('base64'), scrypt_config, name: 'New' });
    expect(created).toMatchObject({ member_created: true, member: { name: 'New', status: 'active' } });
    expect((await stytchError(stytch.passwords.migrate({ email_address: 'x@acme.test', organization_id: org.organization_id, hash_type: 'md_5', hash: 'abc' }))).error_type).toBe('bad_request');
  });

  it('authenticates by discovery across organizations', async () => {
    const a = emulator.seedOrganization({ name: 'A', slug: 'a' });
    const b = emulator.seedOrganization({ name: 'B', slug: 'b' });
    emulator.seedMember(a.organization_id, { email: 'ada@x.test', password: 'pw-one-1234' });
    emulator.seedMember(b.organization_id, { email: 'ada@x.test' });
    const found = await stytch.passwords.discovery.authenticate({ email_address: 'ada@x.test', password: 'pw-one-1234' });
    expect(found.discovered_organizations.map((d) => d.organization?.organization_slug)).toEqual(['a', 'b']);
    const session = await stytch.discovery.intermediateSessions.exchange({ intermediate_session_token: found.intermediate_session_token, organization_id: b.organization_id });
    expect(session.member_session?.authentication_factors[0]?.type).toBe('password');
    expect((await stytchError(stytch.passwords.discovery.authenticate({ email_address: 'ada@x.test', password: 'nope' }))).error_type).toBe('unauthorized_credentials');
  });

  it('resets a password by org-scoped and by discovery email links, each link once', async () => {
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme' });
    const ada = emulator.seedMember(org.organization_id, { email: 'ada@acme.test', password: 'old-password-1' });
    const before = await stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@acme.test', password: 'old-password-1' });
    const started = await stytch.passwords.email.resetStart({ organization_id: org.organization_id, email_address: 'ada@acme.test' });
    expect(started.member_id).toBe(ada.member_id);
    const token = emulator.lastPasswordResetToken('ada@acme.test') ?? '';
    const reset = await stytch.passwords.email.reset({ password_reset_token: token, password: 'new-password-2' });
    expect(reset).toMatchObject({ member_id: ada.member_id, member_authenticated: true });
    expect((await stytchError(stytch.passwords.email.reset({ password_reset_token: token, password: 'x-password-3' }))).error_type).toBe('magic_link_not_found');
    expect((await stytchError(stytch.sessions.authenticate({ session_token: before.session_token }))).error_type).toBe('session_not_found');
    await stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@acme.test', password: 'new-password-2' });

    await stytch.passwords.discovery.email.resetStart({ email_address: 'ada@acme.test' });
    const discovery = await stytch.passwords.discovery.email.reset({ password_reset_token: emulator.lastPasswordResetToken('ada@acme.test') ?? '', password: 'newest-password-4' });
    expect(discovery.discovered_organizations.map((d) => d.membership?.type)).toEqual(['active_member']);
    await stytch.passwords.discovery.authenticate({ email_address: 'ada@acme.test', password: 'newest-password-4' });
  });
});

describe('MFA with TOTP and recovery codes', () => {
  async function primaryIntoMfaOrg() {
    const org = emulator.seedOrganization({ name: 'Secure', slug: 'secure', mfaPolicy: 'REQUIRED_FOR_ALL' });
    const ada = emulator.seedMember(org.organization_id, { email: 'ada@secure.test', password: 'pw-secure-123' });
    const primary = await stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@secure.test', password: 'pw-secure-123' });
    return { org, ada, primary };
  }

  it('asks for MFA, enrolls TOTP on the intermediate session, completes with a real code and refuses its replay', async () => {
    const { org, ada, primary } = await primaryIntoMfaOrg();
    expect(primary).toMatchObject({ member_authenticated: false, session_token: '', session_jwt: '' });
    expect(primary.member_session).toBeUndefined();
    expect(primary.mfa_required).toEqual({});
    const ist = primary.intermediate_session_token;

    const totp = await stytch.totps.create({ organization_id: org.organization_id, member_id: ada.member_id, intermediate_session_token: ist });
    expect(totp.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(totp.recovery_codes).toHaveLength(10);
    expect(totp.qr_code).toMatch(/^data:image\/png;base64,/);
    expect(emulator.totpSecret(org.organization_id, ada.member_id)).toBe(totp.secret);

    const wrong = await stytchError(stytch.totps.authenticate({ organization_id: org.organization_id, member_id: ada.member_id, code: '000000' === emulator.totpCode(org.organization_id, ada.member_id) ? '111111' : '000000', intermediate_session_token: ist }));
    expect([wrong.status_code, wrong.error_type]).toEqual([401, 'otp_code_not_found']);
    const code = emulator.totpCode(org.organization_id, ada.member_id);
    const done = await stytch.totps.authenticate({ organization_id: org.organization_id, member_id: ada.member_id, code, intermediate_session_token: ist });
    expect(done.member_session?.authentication_factors.map((f) => f.type)).toEqual(['password', 'totp']);
    expect(done.member.totp_registration_id).toBe(totp.totp_registration_id);
    const replay = await stytchError(stytch.totps.authenticate({ organization_id: org.organization_id, member_id: ada.member_id, code, session_token: done.session_token }));
    expect(replay.error_type).toBe('otp_code_not_found');

    // Next login: the discovered organization names the member's TOTP; a new step's code steps up an existing session.
    const again = await stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@secure.test', password: 'pw-secure-123' });
    expect(again.mfa_required?.member_options?.totp_registration_id).toBe(totp.totp_registration_id);
    advance(0.5);
    const stepUp = await stytch.totps.authenticate({ organization_id: org.organization_id, member_id: ada.member_id, code: emulator.totpCode(org.organization_id, ada.member_id), session_token: done.session_token });
    expect(stepUp.session_token).toBe(done.session_token);
    expect(stepUp.member_session?.member_session_id).toBe(done.member_session?.member_session_id);
  });

  it('without an intermediate session or session only checks the code, answering with empty tokens', async () => {
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme' });
    const ada = emulator.seedMember(org.organization_id, { email: 'ada@acme.test' });
    const totp = await stytch.totps.create({ organization_id: org.organization_id, member_id: ada.member_id });
    const checked = await stytch.totps.authenticate({ organization_id: org.organization_id, member_id: ada.member_id, code: emulator.totpCode(org.organization_id, ada.member_id) });
    expect(checked).toMatchObject({ member_id: ada.member_id, session_token: '', session_jwt: '' });
    expect(checked.member_session).toBeUndefined();
    expect(checked.member.totp_registration_id).toBe(totp.totp_registration_id);
    const recovered = await stytch.recoveryCodes.recover({ organization_id: org.organization_id, member_id: ada.member_id, recovery_code: totp.recovery_codes[3] ?? '' });
    expect(recovered).toMatchObject({ session_token: '', recovery_codes_remaining: 9 });
    expect(emulator.memberSessions()).toEqual([]);
  });

  it('accepts each recovery code once, and rotates and deletes', async () => {
    const { org, ada, primary } = await primaryIntoMfaOrg();
    const totp = await stytch.totps.create({ organization_id: org.organization_id, member_id: ada.member_id, intermediate_session_token: primary.intermediate_session_token });
    const recoveryCode = totp.recovery_codes[0] ?? '';
    const recovered = await stytch.recoveryCodes.recover({ organization_id: org.organization_id, member_id: ada.member_id, recovery_code: recoveryCode, intermediate_session_token: primary.intermediate_session_token });
    expect(recovered.recovery_codes_remaining).toBe(9);
    expect(recovered.member_session?.authentication_factors.map((f) => [f.type, f.delivery_method])).toEqual([
      ['password', 'knowledge'],
      ['recovery_codes', 'recovery_code'],
    ]);
    const again = await stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@secure.test', password: 'pw-secure-123' });
    const reused = await stytchError(stytch.recoveryCodes.recover({ organization_id: org.organization_id, member_id: ada.member_id, recovery_code: recoveryCode, intermediate_session_token: again.intermediate_session_token }));
    expect([reused.status_code, reused.error_type]).toEqual([401, 'otp_code_not_found']);

    expect((await stytch.recoveryCodes.get({ organization_id: org.organization_id, member_id: ada.member_id })).recovery_codes).toHaveLength(9);
    const rotated = await stytch.recoveryCodes.rotate({ organization_id: org.organization_id, member_id: ada.member_id });
    expect(rotated.recovery_codes).toHaveLength(10);
    expect(rotated.recovery_codes).not.toContain(totp.recovery_codes[1]);

    await stytch.organizations.members.deleteTOTP({ organization_id: org.organization_id, member_id: ada.member_id });
    expect(emulator.totpSecret(org.organization_id, ada.member_id)).toBeNull();
    expect((await stytchError(stytch.recoveryCodes.get({ organization_id: org.organization_id, member_id: ada.member_id }))).error_type).toBe('totp_not_found');
  });

  it('exchanging an intermediate session into an MFA organization returns a new IST and mfa_required', async () => {
    const org = emulator.seedOrganization({ name: 'Secure', slug: 'secure', mfaPolicy: 'REQUIRED_FOR_ALL' });
    emulator.seedMember(org.organization_id, { email: 'ada@secure.test' });
    await stytch.magicLinks.email.discovery.send({ email_address: 'ada@secure.test' });
    const discovery = await stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: emulator.lastMagicLinkToken('ada@secure.test') ?? '' });
    expect(discovery.discovered_organizations[0]?.mfa_required).toEqual({});
    const exchanged = await stytch.discovery.intermediateSessions.exchange({ intermediate_session_token: discovery.intermediate_session_token, organization_id: org.organization_id });
    expect(exchanged.member_authenticated).toBe(false);
    expect(exchanged.intermediate_session_token).not.toBe(discovery.intermediate_session_token);
    expect(exchanged.mfa_required).toBeDefined();
    expect(emulator.memberSessions()).toEqual([]);
  });
});
