import { randomBytes, randomUUID, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { B2BClient, DiscoveredOrganization } from 'stytch';
import type { IdentityCapability, IdentityProvider, ActivationPreview, VerifiedIdentity } from '../../../application/ports/identity-provider.port.js';
import type { ExternalMember, ExternalOrganization } from '../../../application/ports/identity-directory.port.js';
import type { IdentityLinkRepository } from '../../../application/ports/identity-link-repository.port.js';
import type { MembershipRepository } from '../../../application/ports/membership-repository.port.js';
import type { MfaEnrolment, SecondFactorScope, TotpSetup } from '../../../application/ports/second-factor-authority.port.js';
import type { UserRepository } from '../../../application/ports/user-repository.port.js';
import { assertPasswordAcceptable, type PasswordPolicy } from '../../../domain/credentials/password-policy.js';
import { isAllowedRedirect } from '../../../domain/flows/redirect-url.js';
import type { Clock } from '../../../domain/shared/clock.js';
import { DomainError, isDomainError } from '../../../domain/shared/domain-error.js';
import { normalizeEmail } from '../../../domain/tenancy/email.js';
import type { Membership } from '../../../domain/tenancy/membership.js';
import type { Organization } from '../../../domain/tenancy/organization.js';
import { User } from '../../../domain/tenancy/user.js';
import { callStytch } from './stytch-client.js';
import { StytchMemberLookup } from './stytch-member-lookup.js';
import { credentialCheck, failAs, SESSION_ERRORS, silentUnlessDown, unsupported } from './stytch-flow-errors.js';
import { discoveredMemberships, externalMember, externalOrganization, type RoleOf } from './stytch-objects.js';
import type { StytchSessionHandle, StytchSessionHandleCodec } from './stytch-session-handle.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** What Stytch B2B can do for Gatehouse (ADR 0005). Sign-up is the discovery flow; invitations are Stytch's own magic links. */
const CAPABILITIES: ReadonlySet<IdentityCapability> = new Set(['password', 'magic_link', 'totp', 'recovery_codes', 'password_reset']);

/** Scrypt parameters of hashes Gatehouse hands Stytch through `passwords.migrate` (OWASP row N=2^15, r=8, p=3). */
const MIGRATE_SCRYPT = { N: 2 ** 15, r: 8, p: 3, keyLength: 32 } as const;

/** Keeps the local mirror in step with what Stytch returns (application/services/identity-mirror.ts). */
export interface StytchMirror {
  syncOrganization(org: ExternalOrganization): Promise<Organization>;
  syncMember(member: ExternalMember, organization?: ExternalOrganization): Promise<{ user: User; organization: Organization; membership: Membership | null }>;
}

/**
 * The IdentityProvider port over Stytch B2B with the real `stytch` SDK. Stytch checks first and
 * second factors and keeps its own sessions; Gatehouse keeps choosing organizations, applying
 * their policy and issuing its own tokens, exactly as with the built-in provider. The Stytch
 * side of a sign-in travels as a sealed handle: an intermediate session after the first factor,
 * turned into a member session of the chosen organization by `openSession`.
 *
 * Every person and organization Stytch names is mirrored locally (users by email, members and
 * organizations by linked id), so the rest of Gatehouse never sees a Stytch id.
 */
export class StytchIdentityProvider implements IdentityProvider {
  readonly name = 'stytch' as const;
  private readonly lookup: StytchMemberLookup;

  constructor(
    private readonly deps: {
      client: B2BClient;
      handles: StytchSessionHandleCodec;
      users: UserRepository;
      memberships: MembershipRepository;
      links: IdentityLinkRepository;
      mirror: StytchMirror;
      roleOf: RoleOf;
      clock: Clock;
      isCommonPassword: (password: string) => boolean;
      settings: { publicUrl: string; passwordPolicy: PasswordPolicy; allowedRedirectOrigins: readonly string[]; sessionDurationMinutes: number };
    },
  ) {
    this.lookup = new StytchMemberLookup({ memberships: deps.memberships, links: deps.links });
  }

  supports(capability: IdentityCapability): boolean {
    return CAPABILITIES.has(capability);
  }

  // ---- first factors -------------------------------------------------------------------------

  async verifyPassword(email: string, password: string): Promise<VerifiedIdentity> {
    const address = normalizeEmail(email);
    const result = await credentialCheck(() => this.deps.client.passwords.discovery.authenticate({ email_address: address, password }));
    return this.identityOf(result.email_address, result.discovered_organizations, ['pwd'], result.intermediate_session_token);
  }

  async checkPassword(userId: string, password: string): Promise<boolean> {
    const user = await this.deps.users.findById(userId);
    if (!user) return false;
    try {
      await credentialCheck(() => this.deps.client.passwords.discovery.authenticate({ email_address: user.email, password }));
      return true;
    } catch (error) {
      if (isDomainError(error, 'INVALID_CREDENTIALS')) return false;
      throw error;
    }
  }

  /**
   * Stytch has no "set this member's password" call for a server; it imports hashes. The new
   * password is hashed with scrypt here and migrated into every organization the person is a
   * linked member of, so it works wherever they sign in.
   */
  async setPassword(userId: string, password: string): Promise<void> {
    assertPasswordAcceptable(password, this.deps.settings.passwordPolicy, this.deps.isCommonPassword);
    const user = await this.deps.users.findById(userId);
    if (!user) throw new DomainError('USER_NOT_FOUND', 'User not found');
    const members = await this.lookup.linkedMembers(userId);
    if (members.length === 0) throw new DomainError('IDENTITY_CAPABILITY_UNSUPPORTED', 'With Stytch, a password belongs to a member of an organization; join one first');
    const salt = randomBytes(16);
    const hash = await scryptAsync(password, salt, MIGRATE_SCRYPT.keyLength, { N: MIGRATE_SCRYPT.N, r: MIGRATE_SCRYPT.r, p: MIGRATE_SCRYPT.p, maxmem: 256 * MIGRATE_SCRYPT.N * MIGRATE_SCRYPT.r });
    for (const { organizationId } of members) {
      await callStytch('passwords.migrate', () =>
        this.deps.client.passwords.migrate({
          email_address: user.email,
          organization_id: organizationId,
          hash_type: 'scrypt',
          hash: hash.toString('base64'),
          scrypt_config: { salt: salt.toString('base64'), n_parameter: MIGRATE_SCRYPT.N, r_parameter: MIGRATE_SCRYPT.r, p_parameter: MIGRATE_SCRYPT.p, key_length: MIGRATE_SCRYPT.keyLength },
          preserve_existing_sessions: true,
        }),
      );
    }
  }

  async sendMagicLink(email: string, redirectUrl: string | null): Promise<void> {
    if (redirectUrl !== null && !isAllowedRedirect(redirectUrl, this.deps.settings.allowedRedirectOrigins)) {
      throw new DomainError('REDIRECT_URL_NOT_ALLOWED', 'redirectUrl must be on an allowed origin');
    }
    const redirect = redirectUrl ?? new URL('/discovery', this.deps.settings.publicUrl).toString();
    await silentUnlessDown('magic_links.email.discovery.send', () =>
      this.deps.client.magicLinks.email.discovery.send({ email_address: normalizeEmail(email), discovery_redirect_url: redirect }),
    );
  }

  async verifyMagicLink(token: string): Promise<VerifiedIdentity> {
    const result = await failAs('MAGIC_LINK_INVALID', 'magic_links.discovery.authenticate', () =>
      this.deps.client.magicLinks.discovery.authenticate({ discovery_magic_links_token: token }),
    );
    return this.identityOf(result.email_address, result.discovered_organizations, ['email'], result.intermediate_session_token);
  }

  // ---- email links Stytch runs itself ----------------------------------------------------------

  /** Stytch verifies an address when a link sent to it is used; there is no separate verification mail. */
  async startEmailVerification(): Promise<void> {
    throw unsupported('Email addresses are verified by using a sign-in link with this identity provider');
  }
  /** Registration is not offered with Stytch (sign-up is discovery), so there is never a second one to report. */
  async sendAccountExists(): Promise<void> {
    throw unsupported('Sign up with an email link with this identity provider');
  }
  async completeEmailVerification(): Promise<VerifiedIdentity> {
    throw unsupported('Email addresses are verified by using a sign-in link with this identity provider');
  }

  async startPasswordReset(email: string): Promise<void> {
    await silentUnlessDown('passwords.discovery.email.reset_start', () =>
      this.deps.client.passwords.discovery.email.resetStart({
        email_address: normalizeEmail(email),
        reset_password_redirect_url: new URL('/reset-password', this.deps.settings.publicUrl).toString(),
      }),
    );
  }

  /** Sets the new password at Stytch. Stytch also opens an intermediate session; Gatehouse drops it: a reset never signs in. */
  async completePasswordReset(token: string, newPassword: string): Promise<{ userId: string }> {
    assertPasswordAcceptable(newPassword, this.deps.settings.passwordPolicy, this.deps.isCommonPassword);
    const result = await failAs('RESET_TOKEN_INVALID', 'passwords.discovery.email.reset', () =>
      this.deps.client.passwords.discovery.email.reset({ password_reset_token: token, password: newPassword }),
    );
    const identity = await this.identityOf(result.email_address, result.discovered_organizations, ['pwd'], null);
    return { userId: identity.userId };
  }

  /** Invitations are Stytch's own magic links (sent when the member is added); accepting one is the discovery flow. */
  async sendInvitation(): Promise<void> {
    throw unsupported('Invitations are sent by Stytch; the invitee signs in with the link in that email');
  }
  async startActivation(): Promise<void> {
    throw unsupported('Invitations are sent by Stytch; the invitee signs in with the link in that email');
  }
  async resendActivation(): Promise<void> {
    throw unsupported('Invitations are sent by Stytch; add the member again to resend');
  }
  async previewActivation(): Promise<ActivationPreview> {
    throw unsupported('Invitations are accepted through the sign-in link Stytch sends');
  }
  async completeActivation(): Promise<VerifiedIdentity & { tenantId: string | null }> {
    throw unsupported('Invitations are accepted through the sign-in link Stytch sends');
  }

  // ---- sessions ------------------------------------------------------------------------------

  async openSession(input: { userId: string; tenantId: string | null; providerSession: string | null }): Promise<string | null> {
    if (input.tenantId === null || input.providerSession === null) return null;
    const handle = this.open(input.providerSession);
    const organizationId = await this.lookup.externalOrganizationId(input.tenantId);
    const positioned = await this.positionIn(handle, organizationId);
    if (positioned.kind === 'intermediate') {
      // Stytch asks for a second factor Gatehouse did not: the mirror's MFA policy was behind Stytch's.
      await this.refreshOrganization(organizationId);
      throw new DomainError('IDENTITY_PROVIDER_REJECTED', 'This organization now requires a second factor; sign in again');
    }
    return this.deps.handles.seal(positioned);
  }

  async checkProviderSession(providerSession: string): Promise<boolean> {
    const handle = this.deps.handles.open(providerSession);
    if (handle?.kind !== 'member') return false;
    try {
      await callStytch('sessions.authenticate', () => this.deps.client.sessions.authenticate({ session_token: handle.token }), SESSION_ERRORS);
      return true;
    } catch (error) {
      if (isDomainError(error, 'AUTH_SESSION_REVOKED') || isDomainError(error, 'MEMBER_NOT_FOUND') || isDomainError(error, 'TENANT_NOT_FOUND') || isDomainError(error, 'IDENTITY_PROVIDER_REJECTED')) return false;
      throw error;
    }
  }

  async revokeProviderSession(providerSession: string): Promise<void> {
    const handle = this.deps.handles.open(providerSession);
    if (handle?.kind !== 'member') return; // an intermediate session ends by itself within minutes
    try {
      await callStytch('sessions.revoke', () => this.deps.client.sessions.revoke({ member_session_id: handle.sessionId }), SESSION_ERRORS);
    } catch (error) {
      if (!isDomainError(error, 'AUTH_SESSION_REVOKED')) throw error; // already gone is what we wanted
    }
  }

  // ---- second factors (per member of an organization at Stytch) -------------------------------

  async mfaEnrolment(userId: string, scope?: SecondFactorScope): Promise<MfaEnrolment> {
    const member = await this.lookup.memberIn(userId, scope, false);
    if (!member) return { totp: false, recoveryCodesRemaining: 0 };
    const found = await callStytch('organizations.members.get', () => this.deps.client.organizations.members.get({ organization_id: member.organizationId, member_id: member.memberId }), SESSION_ERRORS);
    if (!found.member.totp_registration_id) return { totp: false, recoveryCodesRemaining: 0 };
    const codes = await callStytch('recovery_codes.get', () => this.deps.client.recoveryCodes.get({ organization_id: member.organizationId, member_id: member.memberId }), SESSION_ERRORS);
    return { totp: true, recoveryCodesRemaining: codes.recovery_codes.length };
  }

  async beginTotpEnrolment(userId: string, label: string, scope?: SecondFactorScope): Promise<TotpSetup> {
    const member = (await this.lookup.memberIn(userId, scope, true))!;
    const session = await this.sessionParams(scope, member.organizationId);
    const created = await callStytch(
      'totps.create',
      () => this.deps.client.totps.create({ organization_id: member.organizationId, member_id: member.memberId, ...session }),
      { ...SESSION_ERRORS, totp_already_exists: 'MFA_ALREADY_ENABLED', member_already_has_totp: 'MFA_ALREADY_ENABLED' },
    );
    const issuer = 'Gatehouse';
    const uri = `otpauth://totp/${encodeURIComponent(`${issuer}:${label}`)}?secret=${created.secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
    const qr = created.qr_code.startsWith('data:image/png;base64,') ? created.qr_code : `data:image/png;base64,${created.qr_code}`;
    return { secret: created.secret, uri, qrCodeDataUrl: qr };
  }

  async confirmTotpEnrolment(userId: string, code: string, scope?: SecondFactorScope): Promise<{ recoveryCodes: string[]; providerSession: string | null }> {
    const member = (await this.lookup.memberIn(userId, scope, true))!;
    const providerSession = await this.spendCode('totp', member, code, scope);
    const codes = await callStytch('recovery_codes.get', () => this.deps.client.recoveryCodes.get({ organization_id: member.organizationId, member_id: member.memberId }), SESSION_ERRORS);
    return { recoveryCodes: codes.recovery_codes, providerSession };
  }

  async verifyTotp(userId: string, code: string, scope?: SecondFactorScope): Promise<string | null> {
    return this.spendCode('totp', await this.memberForCode(userId, scope), code, scope);
  }

  async verifyRecoveryCode(userId: string, code: string, scope?: SecondFactorScope): Promise<string | null> {
    return this.spendCode('recovery_code', await this.memberForCode(userId, scope), code, scope);
  }

  async disableTotp(userId: string, scope?: SecondFactorScope): Promise<void> {
    const member = (await this.lookup.memberIn(userId, scope, true))!;
    await callStytch('organizations.members.delete_totp', () => this.deps.client.organizations.members.deleteTOTP({ organization_id: member.organizationId, member_id: member.memberId }), SESSION_ERRORS);
  }

  async regenerateRecoveryCodes(userId: string, scope?: SecondFactorScope): Promise<string[]> {
    const member = (await this.lookup.memberIn(userId, scope, true))!;
    const rotated = await callStytch('recovery_codes.rotate', () => this.deps.client.recoveryCodes.rotate({ organization_id: member.organizationId, member_id: member.memberId }), SESSION_ERRORS);
    return rotated.recovery_codes;
  }

  // ---- internals -----------------------------------------------------------------------------

  /**
   * Mirrors what a first factor told us (the organizations where the person is a member) and
   * returns the local identity, creating the local user for a person Stytch knows without any
   * membership (they may still create an organization).
   */
  private async identityOf(email: string, discovered: readonly DiscoveredOrganization[], amr: string[], intermediateToken: string | null): Promise<VerifiedIdentity> {
    const address = normalizeEmail(email);
    let userId: string | null = null;
    for (const { organization, member } of discoveredMemberships(discovered)) {
      const synced = await this.deps.mirror.syncMember(externalMember(member, this.deps.roleOf), externalOrganization(organization));
      userId = synced.user.id;
    }
    if (userId === null) userId = (await this.ensureUser(address)).id;
    return { userId, email: address, amr, providerSession: intermediateToken ? this.deps.handles.seal({ kind: 'intermediate', token: intermediateToken }) : null };
  }

  private async ensureUser(email: string): Promise<User> {
    const existing = await this.deps.users.findByEmail(email);
    if (existing) return existing;
    const user = User.create({ id: randomUUID(), email, now: this.deps.clock.now() });
    try {
      await this.deps.users.save(user);
      return user;
    } catch (error) {
      // Two first sign-ins of one new person at once: the other one created the row.
      const raced = await this.deps.users.findByEmail(email);
      if (raced) return raced;
      throw error;
    }
  }

  /** The member a sign-in's code is checked for; without one, the code is simply wrong. */
  private async memberForCode(userId: string, scope: SecondFactorScope | undefined): Promise<{ organizationId: string; memberId: string }> {
    const member = await this.lookup.memberIn(userId, scope, false);
    if (!member) throw new DomainError('MFA_CODE_INVALID', 'The code is invalid or has expired');
    return member;
  }

  /**
   * Checks a TOTP or recovery code at Stytch against the sign-in's session (so Stytch's session
   * records the factor); returns the upgraded session's handle. Any refusal is MFA_CODE_INVALID.
   */
  private async spendCode(method: 'totp' | 'recovery_code', member: { organizationId: string; memberId: string }, code: string, scope: SecondFactorScope | undefined): Promise<string | null> {
    const result = await failAs('MFA_CODE_INVALID', method === 'totp' ? 'totps.authenticate' : 'recovery_codes.recover', async () => {
      const target = {
        organization_id: member.organizationId,
        member_id: member.memberId,
        ...(await this.sessionParams(scope, member.organizationId)),
        session_duration_minutes: this.deps.settings.sessionDurationMinutes,
      };
      return method === 'totp'
        ? this.deps.client.totps.authenticate({ ...target, code: code.trim() })
        : this.deps.client.recoveryCodes.recover({ ...target, recovery_code: code.trim() });
    });
    return this.sealedSession(result, member.organizationId);
  }

  /** The session a second factor is added to: the sign-in's handle, positioned in the organization. */
  private async sessionParams(scope: SecondFactorScope | undefined, organizationId: string): Promise<{ intermediate_session_token: string } | { session_token: string } | Record<string, never>> {
    const handle = scope?.providerSession ? this.deps.handles.open(scope.providerSession) : null;
    if (!handle) return {};
    // An intermediate session is used as it is: Stytch completes the second factor against it for
    // the named organization (exchanging it first would spend it before the code is checked).
    if (handle.kind === 'intermediate') return { intermediate_session_token: handle.token };
    const positioned = await this.positionIn(handle, organizationId);
    return positioned.kind === 'intermediate' ? { intermediate_session_token: positioned.token } : { session_token: positioned.token };
  }

  private sealedSession(result: { session_token: string; member_session?: { member_session_id: string } | undefined }, organizationId: string): string | null {
    if (!result.session_token || !result.member_session) return null;
    return this.deps.handles.seal({ kind: 'member', sessionId: result.member_session.member_session_id, token: result.session_token, organizationId });
  }

  /**
   * The handle moved into `organizationId`: an intermediate session is exchanged for a member
   * session there, a member session of another organization is exchanged across. When Stytch
   * wants a second factor first, the answer is a new intermediate session.
   */
  private async positionIn(handle: StytchSessionHandle, organizationId: string): Promise<StytchSessionHandle> {
    if (handle.kind === 'member' && handle.organizationId === organizationId) return handle;
    const result =
      handle.kind === 'intermediate'
        ? await callStytch(
            'discovery.intermediate_sessions.exchange',
            () => this.deps.client.discovery.intermediateSessions.exchange({ intermediate_session_token: handle.token, organization_id: organizationId, session_duration_minutes: this.deps.settings.sessionDurationMinutes }),
            SESSION_ERRORS,
          )
        : await callStytch(
            'sessions.exchange',
            () => this.deps.client.sessions.exchange({ organization_id: organizationId, session_token: handle.token, session_duration_minutes: this.deps.settings.sessionDurationMinutes }),
            SESSION_ERRORS,
          );
    // Joining by invitation or email domain creates or activates the member at Stytch: mirror it.
    await this.deps.mirror.syncMember(externalMember(result.member, this.deps.roleOf), externalOrganization(result.organization));
    if (result.member_authenticated && result.member_session) {
      return { kind: 'member', sessionId: result.member_session.member_session_id, token: result.session_token, organizationId };
    }
    // This organization does not accept the factors used (e.g. a password-only session moving to an
    // organization that wants another primary method): only a new sign-in there can enter it.
    if (result.primary_required) throw new DomainError('REAUTHENTICATION_REQUIRED', 'Sign in to this organization again; it requires another sign-in method');
    if (result.intermediate_session_token) return { kind: 'intermediate', token: result.intermediate_session_token };
    throw new DomainError('IDENTITY_PROVIDER_REJECTED', 'The identity provider did not open a session in this organization');
  }

  private async refreshOrganization(organizationId: string): Promise<void> {
    const found = await callStytch('organizations.get', () => this.deps.client.organizations.get({ organization_id: organizationId }), SESSION_ERRORS);
    await this.deps.mirror.syncOrganization(externalOrganization(found.organization));
  }

  private open(sealed: string): StytchSessionHandle {
    const handle = this.deps.handles.open(sealed);
    if (!handle) throw new DomainError('INTERMEDIATE_TOKEN_INVALID', 'This sign-in has expired; start again');
    return handle;
  }
}
