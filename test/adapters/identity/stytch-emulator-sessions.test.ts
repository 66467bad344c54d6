import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { B2BClient, ClientError, RequestError } from 'stytch';
import { describe, expect, it } from 'vitest';
import { createStytchClient } from '../../../src/adapters/identity/stytch/stytch-client.js';
import { advance, clock, emulator, magicLinkSession, stytch, stytchError, useStytchEmulator } from './stytch-emulator-world.js';

/** The real `stytch` SDK against the emulator: sessions and JWTs, trusted auth tokens, RBAC policy, fault injection. */
useStytchEmulator();

describe('sessions', () => {
  async function login() {
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme' });
    const ada = emulator.seedMember(org.organization_id, { email: 'ada@acme.test', password: 'pw-acme-1234', roles: ['stytch_admin'] });
    const session = await stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@acme.test', password: 'pw-acme-1234' });
    return { org, ada, session };
  }

  it('authenticates by token and by JWT, extends, lists and revokes', async () => {
    const { org, ada, session } = await login();
    advance(1);
    const byToken = await stytch.sessions.authenticate({ session_token: session.session_token, session_duration_minutes: 120 });
    expect(byToken.member_session.member_id).toBe(ada.member_id);
    expect(byToken.member_session.last_accessed_at).toBe(clock.toISOString());
    expect(Date.parse(byToken.member_session.expires_at)).toBe(clock.getTime() + 120 * 60_000);
    expect(byToken.session_jwt).not.toBe(session.session_jwt);
    expect(byToken.organization.organization_slug).toBe('acme');
    const byJwt = await stytch.sessions.authenticate({ session_jwt: session.session_jwt });
    expect(byJwt.member_session.member_session_id).toBe(session.member_session?.member_session_id);

    const listed = await stytch.sessions.get({ organization_id: org.organization_id, member_id: ada.member_id });
    expect(listed.member_sessions.map((s) => s.member_session_id)).toEqual([session.member_session?.member_session_id]);
    await stytch.sessions.revoke({ member_session_id: session.member_session?.member_session_id ?? '' });
    expect(emulator.memberSessions(ada.member_id)).toEqual([expect.objectContaining({ revoked: true })]);
    const refused = await stytchError(stytch.sessions.authenticate({ session_token: session.session_token }));
    expect([refused.status_code, refused.error_type]).toEqual([404, 'session_not_found']);
    expect((await stytch.sessions.get({ organization_id: org.organization_id, member_id: ada.member_id })).member_sessions).toEqual([]);
  });

  it('revokes by member_id and expires sessions on the clock', async () => {
    const { ada, session } = await login();
    const second = await stytch.sessions.authenticate({ session_token: session.session_token });
    await stytch.sessions.revoke({ member_id: ada.member_id });
    expect((await stytchError(stytch.sessions.authenticate({ session_jwt: second.session_jwt }))).error_type).toBe('session_not_found');
    const { session: fresh } = await (async () => ({ session: await stytch.passwords.authenticate({ organization_id: ada.organization_id, email_address: 'ada@acme.test', password: 'pw-acme-1234' }) }))();
    advance(61);
    expect((await stytchError(stytch.sessions.authenticate({ session_token: fresh.session_token }))).error_type).toBe('session_not_found');
  });

  it('issues JWTs the SDK verifies locally; a revoked session keeps a valid JWT locally but not remotely', async () => {
    const { org, ada, session } = await login();
    const local = await stytch.sessions.authenticateJwtLocal({ session_jwt: session.session_jwt });
    expect(local).toMatchObject({ member_id: ada.member_id, organization_id: org.organization_id, organization_slug: 'acme', member_session_id: session.member_session?.member_session_id, roles: ['stytch_member', 'stytch_admin'] });
    expect(local.authentication_factors.map((f) => f.type)).toEqual(['password']);
    const viaJwt = await stytch.sessions.authenticateJwt({ session_jwt: session.session_jwt });
    expect(viaJwt.member_session.member_id).toBe(ada.member_id);

    await stytch.sessions.revoke({ session_jwt: session.session_jwt });
    expect((await stytch.sessions.authenticateJwtLocal({ session_jwt: session.session_jwt })).member_id).toBe(ada.member_id);
    expect((await stytchError(stytch.sessions.authenticate({ session_jwt: session.session_jwt }))).error_type).toBe('session_not_found');
    // authenticateJwt falls back to the API when the JWT is too old for local trust.
    expect((await stytchError(stytch.sessions.authenticateJwt({ session_jwt: session.session_jwt, max_token_age_seconds: 0 }))).error_type).toBe('session_not_found');
  });

  it('signs test JWTs the SDK rejects when expired or tampered', async () => {
    const { org, ada, session } = await login();
    const memberSessionId = session.member_session?.member_session_id ?? '';
    const expired = await emulator.signSessionJwt({ memberSessionId, memberId: ada.member_id, organizationId: org.organization_id, issuedAt: new Date(Date.now() - 600_000) });
    await expect(stytch.sessions.authenticateJwtLocal({ session_jwt: expired })).rejects.toBeInstanceOf(ClientError);
    // Stytch refreshes an expired JWT of a live session.
    expect((await stytch.sessions.authenticate({ session_jwt: expired })).member_session.member_session_id).toBe(memberSessionId);

    const custom = await emulator.signSessionJwt({ memberSessionId, memberId: ada.member_id, organizationId: org.organization_id, roles: ['auditor'] });
    expect((await stytch.sessions.authenticateJwtLocal({ session_jwt: custom })).roles).toEqual(['auditor']);
    const [header, payload, signature] = custom.split('.');
    const forged = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    forged['sub'] = 'member-test-someone-else';
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    await expect(stytch.sessions.authenticateJwtLocal({ session_jwt: tampered })).rejects.toMatchObject({ code: 'jwt_invalid' });
    expect((await stytchError(stytch.sessions.authenticate({ session_jwt: tampered }))).error_type).toBe('session_not_found');
  });

  it('exchanges a session into another organization of the same person, accepting an invite', async () => {
    const { org } = await login();
    const session = await magicLinkSession('ada@acme.test', org.organization_id);
    const other = emulator.seedOrganization({ name: 'Other', slug: 'other' });
    const invited = emulator.seedMember(other.organization_id, { email: 'ada@acme.test', status: 'invited' });
    const switched = await stytch.sessions.exchange({ organization_id: other.organization_id, session_token: session.session_token });
    expect(switched).toMatchObject({ member_authenticated: true, member_id: invited.member_id });
    expect(switched.member.status).toBe('active');
    expect(switched.member_session?.organization_id).toBe(other.organization_id);
    const listed = await stytch.discovery.organizations.list({ session_token: switched.session_token });
    expect(listed.discovered_organizations.filter((d) => d.member_authenticated).map((d) => d.organization?.organization_slug)).toEqual(['other']);
    const stranger = emulator.seedOrganization({ name: 'Stranger', slug: 'stranger' });
    expect((await stytchError(stytch.sessions.exchange({ organization_id: stranger.organization_id, session_token: session.session_token }))).error_type).toBe('member_not_found');
    // Stytch's docs do not say the old session ends, so the emulator keeps it: a caller that wants it gone revokes it.
    expect(emulator.memberSessions().find((s) => s.member_session_id === session.member_session?.member_session_id)?.revoked).toBe(false);
  });

  it('does not carry a password factor across organizations: the switch asks for a primary factor again', async () => {
    const { session } = await login();
    const other = emulator.seedOrganization({ name: 'Other', slug: 'other' });
    const member = emulator.seedMember(other.organization_id, { email: 'ada@acme.test', password: 'pw-other-1234' });
    const switched = await stytch.sessions.exchange({ organization_id: other.organization_id, session_token: session.session_token });
    expect(switched).toMatchObject({ member_authenticated: false, session_token: '', primary_required: { allowed_auth_methods: ['magic_link', 'password'] } });
    const finished = await stytch.passwords.authenticate({ organization_id: other.organization_id, email_address: 'ada@acme.test', password: 'pw-other-1234', intermediate_session_token: switched.intermediate_session_token });
    expect(finished).toMatchObject({ member_authenticated: true, member_id: member.member_id });
  });

  it('publishes the JWKS', async () => {
    const jwks = await stytch.sessions.getJWKS({ project_id: emulator.projectId });
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.stringMatching(/^jwk-test-/) })]);
  });
});

describe('trusted auth tokens (sessions.attest) and RBAC policy', () => {
  it('turns a trusted JWT into a session once, or adds it as a factor, and refuses a forged one', async () => {
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme' });
    const ada = emulator.seedMember(org.organization_id, { email: 'ada@acme.test' });
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const profile_id = emulator.addTrustedAuthTokenProfile({ issuer: 'https://gatehouse.test', audience: 'stytch', publicJwk: { ...(await exportJWK(publicKey)), alg: 'ES256' } });
    const token = (claims: Record<string, unknown>, key = privateKey) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setIssuer('https://gatehouse.test').setAudience('stytch').setIssuedAt().setExpirationTime('2m').sign(key);

    const first = await token({ email: 'ada@acme.test', jti: randomUUID() });
    const attested = await stytch.sessions.attest({ profile_id, token: first, organization_id: org.organization_id });
    expect(attested.member_id).toBe(ada.member_id);
    expect(attested.member_session.authentication_factors.map((f) => [f.type, f.delivery_method])).toEqual([['trusted_auth_token', 'trusted_token_exchange']]);
    expect((await stytchError(stytch.sessions.attest({ profile_id, token: first, organization_id: org.organization_id }))).error_type).toBe('trusted_auth_token_already_used');

    const stepUp = await stytch.sessions.attest({ profile_id, token: await token({ email: 'ada@acme.test', jti: randomUUID(), organization_id: org.organization_id }), session_token: attested.session_token });
    expect(stepUp.member_session.member_session_id).toBe(attested.member_session.member_session_id);
    expect(stepUp.member_session.authentication_factors).toHaveLength(2);

    const forged = await token({ email: 'ada@acme.test', jti: randomUUID() }, (await generateKeyPair('ES256')).privateKey);
    expect((await stytchError(stytch.sessions.attest({ profile_id, token: forged, organization_id: org.organization_id }))).status_code).toBe(401);
    const stranger = await token({ email: 'eve@acme.test', jti: randomUUID() });
    expect((await stytchError(stytch.sessions.attest({ profile_id, token: stranger, organization_id: org.organization_id }))).error_type).toBe('member_not_found');
  });

  it('serves the default RBAC policy, which the SDK uses for local authorization checks', async () => {
    const org = emulator.seedOrganization({ name: 'Acme', slug: 'acme' });
    emulator.seedMember(org.organization_id, { email: 'ada@acme.test', password: 'pw-acme-1234' });
    const { session_jwt } = await stytch.passwords.authenticate({ organization_id: org.organization_id, email_address: 'ada@acme.test', password: 'pw-acme-1234' });
    expect((await stytch.rbac.policy()).policy?.roles.map((r) => r.role_id)).toEqual(['stytch_admin', 'stytch_member']);
    const rbacClient = new B2BClient({ project_id: emulator.projectId, secret: emulator.secret, env: emulator.url });
    const allowed = await rbacClient.sessions.authenticateJwtLocal({ session_jwt, authorization_check: { organization_id: org.organization_id, resource_id: 'stytch.self', action: 'update' } });
    expect(allowed.organization_id).toBe(org.organization_id);
    await expect(rbacClient.sessions.authenticateJwtLocal({ session_jwt, authorization_check: { organization_id: org.organization_id, resource_id: 'stytch.member', action: 'delete' } })).rejects.toBeInstanceOf(ClientError);
  });
});

describe('fault injection', () => {
  it('answers the next matching call with an injected Stytch error, then recovers', async () => {
    emulator.failNext('/v1/b2b/organizations', { status: 500, errorType: 'internal_server_error' });
    const error = await stytchError(stytch.organizations.search({}));
    expect([error.status_code, error.error_type]).toEqual([500, 'internal_server_error']);
    emulator.failNext('/v1/b2b/sessions', { status: 429, errorType: 'too_many_requests' });
    await stytch.organizations.search({}); // another prefix: untouched
    expect((await stytchError(stytch.sessions.authenticate({ session_token: 'x' }))).status_code).toBe(429);
    expect((await stytchError(stytch.sessions.authenticate({ session_token: 'x' }))).error_type).toBe('session_not_found');
  });

  it("'network' destroys the socket, which the SDK reports as RequestError", async () => {
    emulator.failNext('/v1/b2b/organizations/search', 'network');
    await expect(stytch.organizations.search({})).rejects.toBeInstanceOf(RequestError);
    expect((await stytch.organizations.search({})).organizations).toEqual([]);
  });

  it("a delay beyond Gatehouse's client timeout surfaces as RequestError", async () => {
    // undici runs its header timer on a ~1 s clock: a 100 ms bound fires after about a second.
    const bounded = createStytchClient({ projectId: emulator.projectId, secret: emulator.secret, apiUrl: emulator.url, timeoutMs: 100 });
    emulator.failNext('/v1/b2b/organizations/search', { delayMs: 1_600 });
    await expect(bounded.organizations.search({})).rejects.toBeInstanceOf(RequestError);
    emulator.failNext('/v1/b2b/organizations/search', 'network');
    await expect(bounded.organizations.search({})).rejects.toBeInstanceOf(RequestError);
    expect((await bounded.organizations.search({})).organizations).toEqual([]);
  });

  it('delays one call or every call', async () => {
    emulator.failNext('/v1/b2b/organizations/search', { delayMs: 150 });
    let started = Date.now();
    await stytch.organizations.search({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emulator.setLatency(100);
    started = Date.now();
    await stytch.organizations.search({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    emulator.setLatency(0);
  });

  it('records requests with their bodies, and refuses a missing required field with bad_request', async () => {
    await stytchError(stytch.magicLinks.email.discovery.send({ email_address: '' }));
    const last = emulator.requests.at(-1);
    expect(last).toEqual({ method: 'POST', path: '/v1/b2b/magic_links/email/discovery/send', body: { email_address: '' } });
    expect(emulator.responses.at(-1)).toMatchObject({ status: 400, body: { error_type: 'bad_request' } });
  });
});
