import type { AuthenticationFactor } from 'stytch';
import { badRequest, notFound, StytchFailure, unauthorizedCredentials } from './errors.js';
import { route, type Route, type RouteContext } from './router.js';
import { completeLogin, liveSession, sessionMember } from './sessions.js';
import type { EmulatorStore, IntermediateRecord, MemberRecord, PasswordVerifier } from './store.js';

const DISCOVERY_LINK_MINUTES = 10;
const INVITE_MINUTES = 7 * 24 * 60;
const RESET_MINUTES = 30;

/**
 * Primary authentication: email magic links (discovery and invites), discovery (list, exchange,
 * create organization) and passwords (org-scoped, discovery, email resets).
 */
export function authRoutes(store: EmulatorStore): Route[] {
  const istFields = (ist: IntermediateRecord, authenticatedOrganizationId: string | null = null) => ({
    intermediate_session_token: ist.token,
    intermediate_session_token_expires_at: ist.expiresAt.toISOString(),
    email_address: ist.emailAddress,
    discovered_organizations: store.discoveredOrganizations(ist.emailAddress, authenticatedOrganizationId),
  });
  const duration = (ctx: RouteContext) => ctx.optionalNumber('session_duration_minutes');
  const passwordFactor = (deliveryMethod: string) => store.factor('password', deliveryMethod);
  const verifiedByEmail = (factors: AuthenticationFactor[]) => factors.some((f) => f.delivery_method === 'email');

  /** An invited or pending member who proves their email becomes active. */
  const activate = (record: MemberRecord, factors: AuthenticationFactor[]) => {
    if (record.member.status === 'invited' || record.member.status === 'pending') {
      store.changeMember(record, { status: 'active', ...(verifiedByEmail(factors) ? { email_address_verified: true } : {}) });
    } else if (verifiedByEmail(factors) && !record.member.email_address_verified) {
      store.changeMember(record, { email_address_verified: true });
    }
  };

  return [
    // ---- magic links ----
    route('POST', '/v1/b2b/magic_links/email/discovery/send', 'B2BMagicLinksEmailDiscoverySendResponse', (ctx) => {
      const email = ctx.text('email_address');
      if (!email.includes('@')) throw badRequest('email_address is not a valid email address');
      store.issueEmailToken('discovery', email, ctx.optionalNumber('discovery_expiration_minutes') ?? DISCOVERY_LINK_MINUTES, ctx.optionalText('discovery_redirect_url'));
      return { ...ctx.ok };
    }),
    route('POST', '/v1/b2b/magic_links/discovery/authenticate', 'B2BMagicLinksDiscoveryAuthenticateResponse', (ctx) => {
      const token = store.consumeEmailToken(ctx.text('discovery_magic_links_token'), ['discovery']);
      const ist = store.issueIntermediate(token.emailAddress, [store.emailFactor(token.emailAddress, null)]);
      return { ...ctx.ok, ...istFields(ist) };
    }),
    route('POST', '/v1/b2b/magic_links/email/invite', 'B2BMagicLinksEmailInviteResponse', (ctx) => {
      const organizationId = ctx.text('organization_id');
      const organization = store.organization(organizationId);
      const email = ctx.text('email_address');
      let record = store.recordByEmail(organizationId, email);
      if (record && record.member.status === 'active') throw new StytchFailure(400, 'duplicate_member_email', 'This member is already active in the organization.');
      const name = ctx.optionalText('name');
      const roles = ctx.optionalTexts('roles');
      if (record) {
        store.changeMember(record, { ...(name !== undefined ? { name } : {}), ...(roles ? { roles } : {}), status: 'invited' });
      } else {
        const member = store.createMember(organizationId, { email, name, roles, status: 'invited' });
        record = store.record(organizationId, member.member_id);
      }
      store.issueEmailToken('invite', email, ctx.optionalNumber('invite_expiration_minutes') ?? INVITE_MINUTES, ctx.optionalText('invite_redirect_url'), organizationId, record.member.member_id);
      return { ...ctx.ok, member_id: record.member.member_id, member: store.member(record), organization };
    }),
    route('POST', '/v1/b2b/magic_links/authenticate', 'B2BMagicLinksAuthenticateResponse', async (ctx) => {
      const token = store.consumeEmailToken(ctx.text('magic_links_token'), ['invite']);
      const record = store.members.get(token.memberId ?? '');
      if (!record || record.member.organization_id !== token.organizationId) throw notFound.member();
      const factors = [store.emailFactor(record.member.email_address, record)];
      activate(record, factors);
      const outcome = await completeLogin(store, record, factors, duration(ctx));
      return { ...ctx.ok, ...outcome, method_id: record.emailId, reset_sessions: false, organization_id: record.member.organization_id };
    }),

    // ---- discovery ----
    route('POST', '/v1/b2b/discovery/organizations', 'B2BDiscoveryOrganizationsListResponse', async (ctx) => {
      const istToken = ctx.optionalText('intermediate_session_token');
      if (istToken) {
        const ist = store.intermediate(istToken, false);
        return { ...ctx.ok, email_address: ist.emailAddress, discovered_organizations: store.discoveredOrganizations(ist.emailAddress) };
      }
      const session = await liveSession(store, ctx.body);
      const email = sessionMember(store, session).member.email_address;
      return { ...ctx.ok, email_address: email, discovered_organizations: store.discoveredOrganizations(email, session.organizationId) };
    }),
    route('POST', '/v1/b2b/discovery/intermediate_sessions/exchange', 'B2BDiscoveryIntermediateSessionsExchangeResponse', async (ctx) => {
      const organizationId = ctx.text('organization_id');
      const ist = store.intermediate(ctx.text('intermediate_session_token'), false);
      const organization = store.organization(organizationId);
      let record = store.recordByEmail(organizationId, ist.emailAddress);
      if (!record && store.eligibleByDomain(organization, ist.emailAddress.split('@')[1] ?? '')) {
        const member = store.createMember(organizationId, { email: ist.emailAddress, emailVerified: verifiedByEmail(ist.factors) });
        record = store.record(organizationId, member.member_id);
      }
      if (!record || !['active', 'invited', 'pending'].includes(record.member.status)) throw notFound.member();
      store.intermediate(ist.token, true);
      activate(record, ist.factors);
      return { ...ctx.ok, ...(await completeLogin(store, record, ist.factors, duration(ctx))) };
    }),
    route('POST', '/v1/b2b/discovery/organizations/create', 'B2BDiscoveryOrganizationsCreateResponse', async (ctx) => {
      const ist = store.intermediate(ctx.text('intermediate_session_token'), false);
      const organization = store.createOrganization({
        name: ctx.optionalText('organization_name') ?? ist.emailAddress.split('@')[1] ?? 'organization',
        slug: ctx.optionalText('organization_slug'),
        mfaPolicy: ctx.optionalText('mfa_policy'),
        emailAllowedDomains: ctx.optionalTexts('email_allowed_domains'),
        emailJitProvisioning: ctx.optionalText('email_jit_provisioning'),
      });
      store.intermediate(ist.token, true);
      const member = store.createMember(organization.organization_id, { email: ist.emailAddress, roles: ['stytch_admin'], emailVerified: verifiedByEmail(ist.factors) });
      const record = store.record(organization.organization_id, member.member_id);
      return { ...ctx.ok, ...(await completeLogin(store, record, ist.factors, duration(ctx))) };
    }),

    // ---- passwords ----
    route('POST', '/v1/b2b/passwords/authenticate', 'B2BPasswordsAuthenticateResponse', async (ctx) => {
      const organizationId = ctx.text('organization_id');
      store.organization(organizationId);
      const record = store.recordByEmail(organizationId, ctx.text('email_address'));
      const password = ctx.text('password');
      if (!record || record.member.status !== 'active' || !store.passwordMatches(record, password)) throw unauthorizedCredentials();
      let factors = [passwordFactor('knowledge')];
      const istToken = ctx.optionalText('intermediate_session_token');
      if (istToken) {
        const ist = store.intermediate(istToken, false);
        if (ist.memberId !== null && ist.memberId !== record.member.member_id) throw notFound.intermediateSession();
        factors = [...store.intermediate(istToken, true).factors, ...factors];
      }
      const outcome = await completeLogin(store, record, factors, duration(ctx));
      return { ...ctx.ok, ...outcome, organization_id: organizationId };
    }),
    route('POST', '/v1/b2b/passwords/migrate', 'B2BPasswordsMigrateResponse', (ctx) => {
      const organizationId = ctx.text('organization_id');
      const organization = store.organization(organizationId);
      const email = ctx.text('email_address');
      const verifier = migratedVerifier(ctx);
      let record = store.recordByEmail(organizationId, email);
      const memberCreated = record === null;
      if (!record) {
        const member = store.createMember(organizationId, { email, name: ctx.optionalText('name'), roles: ctx.optionalTexts('roles') });
        record = store.record(organizationId, member.member_id);
      }
      store.setPassword(record, verifier);
      if (ctx.body['preserve_existing_sessions'] !== true) {
        for (const session of store.sessions.values()) if (session.memberId === record.member.member_id) session.revoked = true;
      }
      return { ...ctx.ok, member_id: record.member.member_id, member_created: memberCreated, member: store.member(record), organization };
    }),
    route('POST', '/v1/b2b/passwords/discovery/authenticate', 'B2BPasswordsDiscoveryAuthenticateResponse', (ctx) => {
      const email = ctx.text('email_address');
      const password = ctx.text('password');
      if (!store.recordsByEmail(email).some((record) => store.passwordMatches(record, password))) throw unauthorizedCredentials();
      const ist = store.issueIntermediate(email, [passwordFactor('knowledge')]);
      return { ...ctx.ok, ...istFields(ist) };
    }),
    route('POST', '/v1/b2b/passwords/email/reset/start', 'B2BPasswordsEmailResetStartResponse', (ctx) => {
      const organizationId = ctx.text('organization_id');
      store.organization(organizationId);
      const record = store.recordByEmail(organizationId, ctx.text('email_address'));
      if (!record) throw notFound.member();
      const minutes = ctx.optionalNumber('reset_password_expiration_minutes') ?? RESET_MINUTES;
      store.issueEmailToken('password_reset', record.member.email_address, minutes, ctx.optionalText('reset_password_redirect_url'), organizationId, record.member.member_id);
      return { ...ctx.ok, member_id: record.member.member_id, member_email_id: record.emailId, member: store.member(record) };
    }),
    route('POST', '/v1/b2b/passwords/email/reset', 'B2BPasswordsEmailResetResponse', async (ctx) => {
      const password = ctx.text('password');
      const token = store.consumeEmailToken(ctx.text('password_reset_token'), ['password_reset']);
      const record = store.members.get(token.memberId ?? '');
      if (!record) throw notFound.member();
      store.setPassword(record, password);
      // A reset ends the member's other sessions, as Stytch does.
      for (const session of store.sessions.values()) if (session.memberId === record.member.member_id) session.revoked = true;
      const factors = [passwordFactor('email')];
      activate(record, factors);
      const outcome = await completeLogin(store, record, factors, duration(ctx));
      return { ...ctx.ok, ...outcome, member_email_id: record.emailId, organization_id: record.member.organization_id };
    }),
    route('POST', '/v1/b2b/passwords/discovery/email/reset/start', 'B2BPasswordsDiscoveryEmailResetStartResponse', (ctx) => {
      const email = ctx.text('email_address');
      const minutes = ctx.optionalNumber('reset_password_expiration_minutes') ?? RESET_MINUTES;
      // Stytch answers alike whether or not the email belongs to anyone; the link only works for members.
      store.issueEmailToken('discovery_password_reset', email, minutes, ctx.optionalText('reset_password_redirect_url'));
      return { ...ctx.ok };
    }),
    route('POST', '/v1/b2b/passwords/discovery/email/reset', 'B2BPasswordsDiscoveryEmailResetResponse', (ctx) => {
      const password = ctx.text('password');
      const token = store.consumeEmailToken(ctx.text('password_reset_token'), ['discovery_password_reset']);
      const records = store.recordsByEmail(token.emailAddress);
      if (!records.length) throw notFound.member();
      for (const record of records) {
        store.setPassword(record, password);
        for (const session of store.sessions.values()) if (session.memberId === record.member.member_id) session.revoked = true;
      }
      const ist = store.issueIntermediate(token.emailAddress, [passwordFactor('email')]);
      return { ...ctx.ok, ...istFields(ist) };
    }),
  ];
}

/** The verifier of a `passwords.migrate` import; the emulator understands scrypt (what Gatehouse sends). */
function migratedVerifier(ctx: RouteContext): PasswordVerifier {
  const hashType = ctx.text('hash_type');
  if (hashType !== 'scrypt') throw badRequest(`hash_type ${hashType} is not supported by the emulator (only scrypt)`);
  const config = ctx.body['scrypt_config'] as { salt?: unknown; n_parameter?: unknown; r_parameter?: unknown; p_parameter?: unknown; key_length?: unknown } | undefined;
  const { salt, n_parameter: n, r_parameter: r, p_parameter: p, key_length: keyLength } = config ?? {};
  if (typeof salt !== 'string' || typeof n !== 'number' || typeof r !== 'number' || typeof p !== 'number' || typeof keyLength !== 'number') {
    throw badRequest('scrypt_config needs salt, n_parameter, r_parameter, p_parameter and key_length');
  }
  const hash = Buffer.from(ctx.text('hash'), 'base64');
  if (hash.length !== keyLength) throw badRequest('hash length does not match scrypt_config.key_length');
  return { kind: 'scrypt', hash, salt: Buffer.from(salt, 'base64'), n, r, p };
}
