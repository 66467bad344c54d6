import { createHash, randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AuthenticationFactor, DiscoveredOrganization, Member, MemberRole, MfaRequired, Organization } from 'stytch';
import { badRequest, notFound, StytchFailure } from './errors.js';
import type { SessionJwtSigner } from './jwt.js';
import type { EmailToken, EmailTokenKind, IntermediateRecord, MemberInput, MemberRecord, OrganizationInput, PasswordVerifier, SessionRecord } from './records.js';

export type * from './records.js';

export const INTERMEDIATE_MINUTES = 10;

export const clone = <T>(value: T): T => structuredClone(value);
export const opaque = (): string => randomBytes(33).toString('base64url');
const hashPassword = (password: string): Buffer => createHash('sha256').update(`stytch-emulator:${password}`).digest();

/**
 * The emulator's whole state and the Stytch rules over it, shared by the HTTP handlers and the
 * seeding API. Objects leave it as copies, so a test cannot change the "server" by mutating
 * a response. Sessions (login completion, lookup, views, JWTs) are in `sessions.ts`.
 */
export class EmulatorStore {
  readonly organizations = new Map<string, Organization>();
  readonly members = new Map<string, MemberRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly intermediates = new Map<string, IntermediateRecord>();
  readonly emailTokens: EmailToken[] = [];
  /** Told about every email Stytch would send (local runs print the link). */
  onEmail: ((email: EmailToken) => void) | null = null;

  constructor(
    readonly now: () => Date,
    readonly signer: SessionJwtSigner,
  ) {}

  reset(): void {
    this.organizations.clear();
    this.members.clear();
    this.sessions.clear();
    this.intermediates.clear();
    this.emailTokens.length = 0;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** `minutes` from now on the emulator's clock. */
  later(minutes: number): Date {
    return new Date(this.now().getTime() + minutes * 60_000);
  }

  // ---- organizations ----

  createOrganization(input: OrganizationInput): Organization {
    const slug = input.slug ?? input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    if (!slug) throw badRequest('organization_slug is required');
    if (this.organizationBySlug(slug)) throw new StytchFailure(400, 'organization_slug_already_used', 'The organization slug is already used by another organization.');
    const at = this.stamp();
    const organization: Organization = {
      organization_id: `organization-test-${randomUUID()}`,
      organization_name: input.name,
      organization_logo_url: '',
      organization_slug: slug,
      sso_jit_provisioning: 'ALL_ALLOWED',
      sso_jit_provisioning_allowed_connections: [],
      sso_active_connections: [],
      email_allowed_domains: [...(input.emailAllowedDomains ?? [])],
      email_jit_provisioning: input.emailJitProvisioning ?? 'NOT_ALLOWED',
      email_invites: 'ALL_ALLOWED',
      auth_methods: 'ALL_ALLOWED',
      allowed_auth_methods: [],
      mfa_policy: input.mfaPolicy ?? 'OPTIONAL',
      rbac_email_implicit_role_assignments: [],
      mfa_methods: 'ALL_ALLOWED',
      allowed_mfa_methods: [],
      oauth_tenant_jit_provisioning: 'NOT_ALLOWED',
      claimed_email_domains: [],
      first_party_connected_apps_allowed_type: 'ALL_ALLOWED',
      allowed_first_party_connected_apps: [],
      third_party_connected_apps_allowed_type: 'ALL_ALLOWED',
      allowed_third_party_connected_apps: [],
      custom_roles: [],
      trusted_metadata: {},
      created_at: at,
      updated_at: at,
    };
    this.organizations.set(organization.organization_id, organization);
    return clone(organization);
  }

  organization(organizationId: string): Organization {
    const organization = this.organizations.get(organizationId);
    if (!organization) throw notFound.organization();
    return clone(organization);
  }

  organizationBySlug(slug: string): Organization | null {
    for (const organization of this.organizations.values()) if (organization.organization_slug === slug) return clone(organization);
    return null;
  }

  updateOrganization(organizationId: string, changes: Partial<Organization>): Organization {
    const current = this.organizations.get(organizationId);
    if (!current) throw notFound.organization();
    if (changes.organization_slug !== undefined && changes.organization_slug !== current.organization_slug && this.organizationBySlug(changes.organization_slug)) {
      throw new StytchFailure(400, 'organization_slug_already_used', 'The organization slug is already used by another organization.');
    }
    const next: Organization = { ...current, ...clone(changes), organization_id: current.organization_id, updated_at: this.stamp() };
    if (current.created_at !== undefined) next.created_at = current.created_at;
    this.organizations.set(organizationId, next);
    return clone(next);
  }

  deleteOrganization(organizationId: string): void {
    if (!this.organizations.delete(organizationId)) throw notFound.organization();
    for (const record of [...this.members.values()]) if (record.member.organization_id === organizationId) this.removeMember(record);
  }

  // ---- members ----

  createMember(organizationId: string, input: MemberInput): Member {
    this.organization(organizationId);
    const email = input.email.trim().toLowerCase();
    if (!email.includes('@')) throw badRequest('email_address is not a valid email address');
    if (this.recordByEmail(organizationId, email)) throw new StytchFailure(400, 'duplicate_member_email', 'A member with this email already exists in the organization.');
    const at = this.stamp();
    const directRoles = [...new Set(input.roles ?? [])].filter((role) => role !== 'stytch_member');
    const memberId = `member-test-${randomUUID()}`;
    const member: Member = {
      organization_id: organizationId,
      member_id: memberId,
      email_address: email,
      status: input.status ?? 'active',
      name: input.name ?? '',
      sso_registrations: [],
      is_breakglass: false,
      member_password_id: '',
      oauth_registrations: [],
      email_address_verified: input.emailVerified ?? false,
      mfa_phone_number_verified: false,
      is_admin: directRoles.includes('stytch_admin'),
      totp_registration_id: '',
      retired_email_addresses: [],
      is_locked: false,
      mfa_enrolled: false,
      mfa_phone_number: '',
      default_mfa_method: '',
      roles: memberRoles(directRoles),
      trusted_metadata: {},
      untrusted_metadata: {},
      created_at: at,
      updated_at: at,
    };
    const record: MemberRecord = { member, directRoles, emailId: `member-email-test-${randomUUID()}`, password: null, totp: null };
    this.members.set(memberId, record);
    if (input.password !== undefined) this.setPassword(record, input.password);
    return clone(member);
  }

  record(organizationId: string, memberId: string): MemberRecord {
    const record = this.members.get(memberId);
    if (!record || record.member.organization_id !== organizationId) throw notFound.member();
    return record;
  }

  recordByEmail(organizationId: string, email: string): MemberRecord | null {
    const wanted = email.trim().toLowerCase();
    for (const record of this.members.values()) {
      if (record.member.organization_id === organizationId && record.member.email_address === wanted) return record;
    }
    return null;
  }

  recordsByEmail(email: string): MemberRecord[] {
    const wanted = email.trim().toLowerCase();
    return [...this.members.values()].filter((record) => record.member.email_address === wanted);
  }

  member(record: MemberRecord): Member {
    return clone(record.member);
  }

  /** Applies changes (roles replace the direct assignments) and bumps `updated_at`. */
  changeMember(record: MemberRecord, changes: Partial<Omit<Member, 'roles'>> & { roles?: string[] | undefined }): Member {
    const { roles, ...rest } = changes;
    if (rest.email_address !== undefined) {
      const email = rest.email_address.trim().toLowerCase();
      const other = this.recordByEmail(record.member.organization_id, email);
      if (other && other !== record) throw new StytchFailure(400, 'duplicate_member_email', 'A member with this email already exists in the organization.');
      if (email !== record.member.email_address) rest.email_address_verified = false;
      rest.email_address = email;
    }
    Object.assign(record.member, clone(rest));
    if (roles !== undefined) {
      record.directRoles = [...new Set(roles)].filter((role) => role !== 'stytch_member');
      record.member.roles = memberRoles(record.directRoles);
      record.member.is_admin = record.directRoles.includes('stytch_admin');
    }
    record.member.updated_at = this.stamp();
    return clone(record.member);
  }

  removeMember(record: MemberRecord): void {
    this.members.delete(record.member.member_id);
    for (const session of this.sessions.values()) if (session.memberId === record.member.member_id) session.revoked = true;
  }

  setPassword(record: MemberRecord, password: string | PasswordVerifier): void {
    if (!password) throw badRequest('password is required');
    record.password = typeof password === 'string' ? { kind: 'sha256', hash: hashPassword(password) } : password;
    record.member.member_password_id = `member-password-test-${randomUUID()}`;
    record.member.updated_at = this.stamp();
  }

  passwordMatches(record: MemberRecord, password: string): boolean {
    const stored = record.password;
    if (!stored) return false;
    const given =
      stored.kind === 'sha256'
        ? hashPassword(password)
        : scryptSync(password, stored.salt, stored.hash.length, { N: stored.n, r: stored.r, p: stored.p, maxmem: 256 * stored.n * stored.r + 1024 * 1024 });
    return given.length === stored.hash.length && timingSafeEqual(given, stored.hash);
  }

  // ---- email tokens ----

  issueEmailToken(kind: EmailTokenKind, emailAddress: string, minutes: number, redirectUrl: string | undefined, organizationId: string | null = null, memberId: string | null = null): EmailToken {
    const value = opaque();
    const token: EmailToken = { token: value, kind, emailAddress: emailAddress.trim().toLowerCase(), organizationId, memberId, expiresAt: this.later(minutes), consumed: false, link: linkFor(redirectUrl, kind, value) };
    this.emailTokens.push(token);
    this.onEmail?.(structuredClone(token));
    return token;
  }

  /** Burns a single-use email token of one of the given kinds; unknown, used or expired → magic_link_not_found. */
  consumeEmailToken(value: string, kinds: EmailTokenKind[]): EmailToken {
    const token = this.emailTokens.find((t) => t.token === value && kinds.includes(t.kind));
    if (!token || token.consumed || token.expiresAt <= this.now()) throw notFound.magicLink();
    token.consumed = true;
    return token;
  }

  lastEmailToken(email: string, kinds: EmailTokenKind[]): string | null {
    const wanted = email.trim().toLowerCase();
    const found = this.emailTokens.filter((t) => t.emailAddress === wanted && kinds.includes(t.kind)).at(-1);
    return found?.token ?? null;
  }

  // ---- intermediate sessions ----

  issueIntermediate(emailAddress: string, factors: AuthenticationFactor[], organizationId: string | null = null, memberId: string | null = null): IntermediateRecord {
    const record: IntermediateRecord = { token: opaque(), emailAddress: emailAddress.toLowerCase(), factors: clone(factors), expiresAt: this.later(INTERMEDIATE_MINUTES), consumed: false, organizationId, memberId };
    this.intermediates.set(record.token, record);
    return record;
  }

  /** A live IST; `consume` burns it (exchange, create, MFA completion). */
  intermediate(token: string, consume: boolean): IntermediateRecord {
    const record = this.intermediates.get(token);
    if (!record || record.consumed || record.expiresAt <= this.now()) throw notFound.intermediateSession();
    if (consume) record.consumed = true;
    return record;
  }

  // ---- factors ----

  factor(type: string, deliveryMethod: string, extra: Partial<AuthenticationFactor> = {}): AuthenticationFactor {
    const at = this.stamp();
    return { type, delivery_method: deliveryMethod, last_authenticated_at: at, created_at: at, updated_at: at, ...extra };
  }

  emailFactor(emailAddress: string, record: MemberRecord | null): AuthenticationFactor {
    return this.factor('magic_link', 'email', { email_factor: { email_id: record?.emailId ?? `email-test-${randomUUID()}`, email_address: emailAddress } });
  }

  // ---- discovery ----

  /** The organizations an email can enter, as Stytch's discovery lists them. */
  discoveredOrganizations(emailAddress: string, authenticatedOrganizationId: string | null = null): DiscoveredOrganization[] {
    const email = emailAddress.toLowerCase();
    const domain = email.split('@')[1] ?? '';
    const found: DiscoveredOrganization[] = [];
    for (const organization of this.organizations.values()) {
      const record = this.recordByEmail(organization.organization_id, email);
      if (record) {
        const type = MEMBERSHIP_TYPES[record.member.status];
        if (!type) continue;
        const discovered: DiscoveredOrganization = {
          member_authenticated: organization.organization_id === authenticatedOrganizationId,
          organization: clone(organization),
          membership: { type, member: clone(record.member) },
        };
        if (this.mfaRequiredFor(organization, record)) discovered.mfa_required = this.mfaRequired(record);
        found.push(discovered);
      } else if (this.eligibleByDomain(organization, domain)) {
        const discovered: DiscoveredOrganization = {
          member_authenticated: false,
          organization: clone(organization),
          membership: { type: 'eligible_to_join_by_email_domain', details: { domain } },
        };
        if (organization.mfa_policy === 'REQUIRED_FOR_ALL') discovered.mfa_required = {};
        found.push(discovered);
      }
    }
    return found;
  }

  eligibleByDomain(organization: Organization, domain: string): boolean {
    return organization.email_jit_provisioning === 'RESTRICTED' && organization.email_allowed_domains.map((d) => d.toLowerCase()).includes(domain);
  }

  /** Stytch asks for a second factor when the org requires MFA or the member enrolled in it. */
  mfaRequiredFor(organization: Organization, record: MemberRecord): boolean {
    return organization.mfa_policy === 'REQUIRED_FOR_ALL' || record.member.mfa_enrolled;
  }

  mfaRequired(record: MemberRecord): MfaRequired {
    if (!record.member.totp_registration_id) return {};
    return { member_options: { mfa_phone_number: '', totp_registration_id: record.member.totp_registration_id } };
  }
}

const TOKEN_TYPES: Record<EmailTokenKind, string> = { discovery: 'discovery', invite: 'multi_tenant_magic_links', password_reset: 'multi_tenant_passwords', discovery_password_reset: 'discovery' };

/** Stytch appends `stytch_token_type` and `token` to the redirect URL. */
function linkFor(redirectUrl: string | undefined, kind: EmailTokenKind, token: string): string | null {
  if (!redirectUrl) return null;
  try {
    const url = new URL(redirectUrl);
    url.searchParams.set('stytch_token_type', TOKEN_TYPES[kind]);
    url.searchParams.set('token', token);
    return url.toString();
  } catch {
    throw badRequest('the redirect URL is not a valid URL');
  }
}

const MEMBERSHIP_TYPES: Record<string, string | undefined> = { active: 'active_member', invited: 'invited_member', pending: 'pending_member' };

/** Every member holds `stytch_member`; the rest are direct assignments. */
function memberRoles(directRoles: string[]): MemberRole[] {
  return ['stytch_member', ...directRoles].map((role_id) => ({ role_id, sources: [{ type: 'direct_assignment', details: {} }] }));
}
