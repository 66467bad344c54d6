import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StytchEmulator } from '../fakes/stytch-emulator.js';
import { type Harness, mailedToken, signUp, startHarness } from '../support/http-harness.js';

/**
 * The same HTTP flows, the same requests and the same assertions over both identity providers:
 * discovery → pick an organization → session → switch organization → refresh → logout. What
 * differs is only where the magic link's token is read (Gatehouse's outbox, or Stytch's mail).
 */
interface Provider {
  name: 'builtin' | 'stytch';
  start(): Promise<World>;
}

interface World {
  h: Harness;
  linkToken(email: string): Promise<string>;
  /** A person with a password in an organization that requires MFA, set up the provider's way (admin API, or Stytch's dashboard). */
  seedMfaMember(email: string, password: string): Promise<{ slug: string }>;
  stytch: StytchEmulator | null;
  close(): Promise<void>;
}

const WEBHOOK_SECRET = 'whsec_cGFyaXR5LXRlc3Qtd2ViaG9vay1zZWNyZXQtMDEyMzQ1';

const providers: Provider[] = [
  {
    name: 'builtin',
    async start() {
      const h = await startHarness();
      return {
        h,
        stytch: null,
        async seedMfaMember(email, password) {
          const admin = await signUp(h, `admin-of-${email}`);
          const org = await h.call('POST', '/api/v1/organizations', { token: admin.accessToken, body: { name: `Strict ${email.split('@')[0]}` } });
          const adminIn = await h.call('POST', '/api/v1/auth/login', { body: { email: `admin-of-${email}`, password: 'correct horse battery staple', organization: org.body.id } });
          await h.call('PATCH', `/api/v1/organizations/${org.body.id}`, { token: adminIn.body.accessToken, body: { policy: { mfaRequired: true } } });
          await signUp(h, email, password);
          await h.call('POST', `/api/v1/organizations/${org.body.id}/members`, { token: adminIn.body.accessToken, body: { email, role: 'member' } });
          return { slug: org.body.slug };
        },
        linkToken: (email) => mailedToken(h, email, 'magic_link'),
        close: () => h.close(),
      };
    },
  },
  {
    name: 'stytch',
    async start() {
      let clock: (() => Date) | null = null;
      const emulator = await StytchEmulator.start({ now: () => (clock ? clock() : new Date()) });
      const h = await startHarness({
        env: emulator.gatehouseEnv(WEBHOOK_SECRET),
      });
      clock = () => h.clock.now();
      return {
        h,
        stytch: emulator,
        async seedMfaMember(email, password) {
          const org = emulator.seedOrganization({ name: `Strict ${email.split('@')[0]}`, slug: `strict-${email.split('@')[0]}`, mfaPolicy: 'REQUIRED_FOR_ALL' });
          emulator.seedMember(org.organization_id, { email, password, emailVerified: true });
          return { slug: org.organization_slug };
        },
        async linkToken(email) {
          return emulator.lastMagicLinkToken(email)!;
        },
        async close() {
          await h.close();
          await emulator.stop();
        },
      };
    },
  },
];

describe.each(providers)('identity flows over HTTP [$name]', (provider) => {
  let world: Awaited<ReturnType<Provider['start']>>;
  beforeAll(async () => {
    world = await provider.start();
  });
  afterAll(() => world.close());

  async function discover(email: string) {
    const sent = await world.h.call('POST', '/api/v1/auth/discovery/magic-link', { body: { email } });
    expect(sent.status).toBe(202);
    const found = await world.h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: await world.linkToken(email) } });
    expect(found.status).toBe(200);
    return found.body;
  }

  it('discovery → create an organization → second organization → discovery lists both → pick → switch → refresh → logout', async () => {
    const { h } = world;
    const email = `founder-${provider.name}@parity.example`;

    // A person with no organization yet creates one from the discovery step.
    const first = await discover(email);
    expect(first).toMatchObject({ status: 'org_selection_required', organizations: [] });
    const created = await h.call('POST', '/api/v1/auth/discovery/create-organization', { body: { intermediateToken: first.intermediateToken, name: `Alpha ${provider.name}` } });
    expect(created.body).toMatchObject({ status: 'authenticated', organization: { slug: `alpha-${provider.name}` }, member: { roles: ['admin'] }, user: { email } });
    const beta = await h.call('POST', '/api/v1/organizations', { token: created.body.accessToken, body: { name: `Beta ${provider.name}` } });
    expect(beta.status).toBe(201);
    expect((await h.call('POST', '/api/v1/auth/logout', { body: { refreshToken: created.body.refreshToken } })).status).toBe(204);

    // Signing in again: both organizations are offered; the intermediate token is single use.
    const again = await discover(email);
    expect(again.status).toBe('org_selection_required');
    expect(again.organizations.map((o: { slug: string }) => o.slug).sort()).toEqual([`alpha-${provider.name}`, `beta-${provider.name}`]);
    const listed = await h.call('POST', '/api/v1/auth/discovery/organizations', { body: { intermediateToken: again.intermediateToken } });
    expect(listed.body.organizations).toHaveLength(2);
    const entered = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: again.intermediateToken, organization: `alpha-${provider.name}` } });
    expect(entered.body).toMatchObject({ status: 'authenticated', organization: { slug: `alpha-${provider.name}` }, member: { roles: ['admin'] } });
    const replay = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: again.intermediateToken, organization: `alpha-${provider.name}` } });
    expect(replay.body.code).toBe('INTERMEDIATE_TOKEN_INVALID');

    const me = await h.call('GET', '/api/v1/me', { token: entered.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.organization?.slug ?? me.body.currentOrganization?.slug).toBe(`alpha-${provider.name}`);

    // Switch: an access token for the other organization; the old session ends at once, and the refresh token
    // the client holds now refreshes the new one (no new refresh token is issued).
    const switched = await h.call('POST', '/api/v1/auth/switch-organization', { token: entered.body.accessToken, body: { organization: `beta-${provider.name}` } });
    expect(switched.body).toMatchObject({ status: 'authenticated', organization: { slug: `beta-${provider.name}` }, member: { roles: ['admin'] } });
    expect(switched.body.refreshToken).toBeUndefined();
    expect((await h.call('GET', '/api/v1/me', { token: entered.body.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');

    const refreshed = await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: entered.body.refreshToken } });
    expect(refreshed.body).toMatchObject({ status: 'authenticated', organization: { slug: `beta-${provider.name}` } });

    expect((await h.call('POST', '/api/v1/auth/logout', { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(204);
    expect((await h.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: refreshed.body.refreshToken } })).status).toBe(401);
    expect((await h.call('GET', '/api/v1/me', { token: refreshed.body.accessToken })).body.code).toBe('AUTH_SESSION_REVOKED');

    if (world.stytch) {
      // Logout ended Stytch's sessions too: none of this person's member sessions is live there.
      const live = world.stytch.memberSessions().filter((s) => !s.revoked);
      const members = [world.stytch.organizationBySlug(`alpha-${provider.name}`), world.stytch.organizationBySlug(`beta-${provider.name}`)].map((o) => world.stytch!.memberByEmail(o!.organization_id, email)!.member_id);
      expect(live.filter((s) => members.includes(s.member_id))).toEqual([]);
    }
  });

  it('password sign-in to an organization that requires MFA: enrol during sign-in, then password + code; codes work once', async () => {
    const { h } = world;
    const email = `strict-${provider.name}@parity.example`;
    const password = 'a long and private passphrase';
    const { slug } = await world.seedMfaMember(email, password);

    // First sign-in ever (with Stytch, the member is not mirrored yet): enrolment is required first.
    const first = await h.call('POST', '/api/v1/auth/login', { body: { email, password, organization: slug } });
    expect(first.body).toMatchObject({ status: 'mfa_required', enrolmentRequired: true });
    const setup = await h.call('POST', '/api/v1/auth/mfa/totp/setup', { body: { mfaToken: first.body.mfaToken } });
    expect(setup.status).toBe(200);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\//);
    const enabled = await h.call('POST', '/api/v1/auth/mfa/totp/enable', { body: { mfaToken: first.body.mfaToken, code: await h.clock.totp(setup.body.secret) } });
    expect(enabled.body).toMatchObject({ status: 'authenticated', organization: { slug }, member: { roles: ['member'] } });
    expect(enabled.body.recoveryCodes).toHaveLength(10);
    expect((await h.call('GET', '/api/v1/me', { token: enabled.body.accessToken })).status).toBe(200);

    // Next sign-in: password, then a code; the same code does not work twice; a wrong password tells nothing.
    h.clock.advance(31);
    const wrong = await h.call('POST', '/api/v1/auth/login', { body: { email, password: 'not the passphrase at all', organization: slug } });
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    const second = await h.call('POST', '/api/v1/auth/login', { body: { email, password, organization: slug } });
    expect(second.body).toMatchObject({ status: 'mfa_required', methods: ['totp', 'recovery_code'] });
    const code = await h.clock.totp(setup.body.secret);
    const verified = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: second.body.mfaToken, code } });
    expect(verified.body).toMatchObject({ status: 'authenticated', organization: { slug } });
    const third = await h.call('POST', '/api/v1/auth/login', { body: { email, password, organization: slug } });
    expect((await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: third.body.mfaToken, code } })).body.code).toBe('MFA_CODE_INVALID');
    const recovered = await h.call('POST', '/api/v1/auth/mfa/verify', { body: { mfaToken: third.body.mfaToken, recoveryCode: enabled.body.recoveryCodes[0] } });
    expect(recovered.body).toMatchObject({ status: 'authenticated', organization: { slug } });
    const status = await h.call('GET', '/api/v1/auth/mfa', { token: recovered.body.accessToken });
    expect(status.body).toMatchObject({ totp: { enabled: true }, recoveryCodes: { remaining: 9 } });
  });

  it('answers what a provider cannot do with a clear code', async () => {
    const { h } = world;
    const registered = await h.call('POST', '/api/v1/auth/register', { body: { email: `new-${provider.name}@parity.example`, password: 'a long enough passphrase' } });
    if (provider.name === 'builtin') {
      expect(registered.status).toBe(202);
    } else {
      expect(registered.status).toBe(501);
      expect(registered.body.code).toBe('IDENTITY_CAPABILITY_UNSUPPORTED');
    }
  });

  it('refuses a forged intermediate token and an unknown magic link the same way', async () => {
    const { h } = world;
    expect((await h.call('POST', '/api/v1/auth/discovery/authenticate', { body: { token: 'x'.repeat(44) } })).body.code).toBe('MAGIC_LINK_INVALID');
    expect((await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: 'y'.repeat(43), organization: 'nope' } })).body.code).toBe('INTERMEDIATE_TOKEN_INVALID');
  });
});
