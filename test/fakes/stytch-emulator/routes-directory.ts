import type { Member, Organization, SearchQuery } from 'stytch';
import { badRequest, notFound, StytchFailure } from './errors.js';
import { route, type Route, type RouteContext } from './router.js';
import type { EmulatorStore, MemberRecord } from './store.js';

/** Organization fields `organizations.update` may change (the rest are Stytch-managed or not modelled). */
const UPDATABLE_ORGANIZATION_FIELDS = [
  'organization_name',
  'organization_slug',
  'organization_logo_url',
  'trusted_metadata',
  'organization_external_id',
  'sso_jit_provisioning',
  'email_allowed_domains',
  'email_jit_provisioning',
  'email_invites',
  'auth_methods',
  'allowed_auth_methods',
  'mfa_policy',
  'mfa_methods',
  'allowed_mfa_methods',
  'oauth_tenant_jit_provisioning',
  'claimed_email_domains',
] as const;

/** organizations.* and organizations.members.*: the directory, as the Stytch dashboard or an admin API would change it. */
export function directoryRoutes(store: EmulatorStore): Route[] {
  const organizationOf = (ctx: RouteContext) => store.organization(ctx.text('organization_id'));
  const memberOf = (ctx: RouteContext) => store.record(ctx.text('organization_id'), ctx.text('member_id'));
  const withOrganization = (ctx: RouteContext, record: MemberRecord) => ({
    ...ctx.ok,
    member_id: record.member.member_id,
    member: store.member(record),
    organization: store.organization(record.member.organization_id),
  });

  return [
    route('POST', '/v1/b2b/organizations', 'B2BOrganizationsCreateResponse', (ctx) => {
      const organization = store.createOrganization({
        name: ctx.text('organization_name'),
        slug: ctx.optionalText('organization_slug'),
        mfaPolicy: ctx.optionalText('mfa_policy'),
        emailAllowedDomains: ctx.optionalTexts('email_allowed_domains'),
        emailJitProvisioning: ctx.optionalText('email_jit_provisioning'),
      });
      const rest = pickOrganizationFields(ctx, ['organization_name', 'organization_slug', 'mfa_policy', 'email_allowed_domains', 'email_jit_provisioning']);
      const created = Object.keys(rest).length ? store.updateOrganization(organization.organization_id, rest) : organization;
      return { ...ctx.ok, organization: created };
    }),
    route('GET', '/v1/b2b/organizations/:organization_id', 'B2BOrganizationsGetResponse', (ctx) => ({ ...ctx.ok, organization: organizationOf(ctx) })),
    route('PUT', '/v1/b2b/organizations/:organization_id', 'B2BOrganizationsUpdateResponse', (ctx) => ({
      ...ctx.ok,
      organization: store.updateOrganization(ctx.text('organization_id'), pickOrganizationFields(ctx, [])),
    })),
    route('DELETE', '/v1/b2b/organizations/:organization_id', 'B2BOrganizationsDeleteResponse', (ctx) => {
      store.deleteOrganization(ctx.text('organization_id'));
      return { ...ctx.ok, organization_id: ctx.text('organization_id') };
    }),
    route('POST', '/v1/b2b/organizations/search', 'B2BOrganizationsSearchResponse', (ctx) => {
      const query = ctx.body['query'] as SearchQuery | undefined;
      const organizations = [...store.organizations.values()].filter((o) => matchesQuery(query, (name, values) => organizationFilter(o, name, values)));
      return { ...ctx.ok, organizations: structuredClone(organizations), results_metadata: { total: organizations.length } };
    }),

    route('POST', '/v1/b2b/organizations/:organization_id/members', 'B2BOrganizationsMembersCreateResponse', (ctx) => {
      const member = store.createMember(ctx.text('organization_id'), {
        email: ctx.text('email_address'),
        name: ctx.optionalText('name'),
        roles: ctx.optionalTexts('roles'),
        status: ctx.body['create_member_as_pending'] === true ? 'pending' : 'active',
      });
      const record = store.record(member.organization_id, member.member_id);
      const extra = pickMemberFields(ctx);
      if (Object.keys(extra).length) store.changeMember(record, extra);
      return withOrganization(ctx, record);
    }),
    route('GET', '/v1/b2b/organizations/:organization_id/member', 'B2BOrganizationsMembersGetResponse', (ctx) => {
      const organizationId = ctx.text('organization_id');
      store.organization(organizationId);
      const memberId = ctx.optionalText('member_id');
      const email = ctx.optionalText('email_address');
      if (!memberId && !email) throw badRequest('member_id or email_address is required');
      const record = memberId ? store.record(organizationId, memberId) : store.recordByEmail(organizationId, email ?? '');
      if (!record) throw notFound.member();
      return withOrganization(ctx, record);
    }),
    route('PUT', '/v1/b2b/organizations/:organization_id/members/:member_id', 'B2BOrganizationsMembersUpdateResponse', (ctx) => {
      const record = memberOf(ctx);
      store.changeMember(record, { ...pickMemberFields(ctx), roles: ctx.optionalTexts('roles') });
      return withOrganization(ctx, record);
    }),
    route('DELETE', '/v1/b2b/organizations/:organization_id/members/:member_id', 'B2BOrganizationsMembersDeleteResponse', (ctx) => {
      const record = memberOf(ctx);
      store.removeMember(record);
      return { ...ctx.ok, member_id: record.member.member_id };
    }),
    route('POST', '/v1/b2b/organizations/members/search', 'B2BOrganizationsMembersSearchResponse', (ctx) => {
      const organizationIds = ctx.optionalTexts('organization_ids');
      if (!organizationIds?.length) throw badRequest('organization_ids is required');
      const query = ctx.body['query'] as SearchQuery | undefined;
      const members: Member[] = [...store.members.values()]
        .filter((r) => organizationIds.includes(r.member.organization_id))
        .filter((r) => matchesQuery(query, (name, values) => memberFilter(r, name, values)))
        .map((r) => store.member(r));
      const organizations: Record<string, Organization> = {};
      for (const member of members) organizations[member.organization_id] ??= store.organization(member.organization_id);
      return { ...ctx.ok, members, organizations, results_metadata: { total: members.length } };
    }),
    route('DELETE', '/v1/b2b/organizations/:organization_id/members/:member_id/totp', 'B2BOrganizationsMembersDeleteTOTPResponse', (ctx) => {
      const record = memberOf(ctx);
      if (!record.totp) throw notFound.totp();
      record.totp = null;
      store.changeMember(record, { totp_registration_id: '' });
      return withOrganization(ctx, record);
    }),
  ];

  function pickOrganizationFields(ctx: RouteContext, skip: string[]): Partial<Organization> {
    const changes: Record<string, unknown> = {};
    for (const field of UPDATABLE_ORGANIZATION_FIELDS) {
      if (!skip.includes(field) && ctx.body[field] !== undefined && ctx.body[field] !== null) changes[field] = ctx.body[field];
    }
    if (changes['organization_name'] === '') throw badRequest('organization_name must not be empty');
    return changes as Partial<Organization>;
  }

  function pickMemberFields(ctx: RouteContext): Partial<Omit<Member, 'roles'>> {
    const changes: Partial<Omit<Member, 'roles'>> = {};
    const name = ctx.optionalText('name');
    if (name !== undefined) changes.name = name;
    const email = ctx.optionalText('email_address');
    if (email !== undefined) changes.email_address = email;
    for (const field of ['trusted_metadata', 'untrusted_metadata'] as const) {
      const value = ctx.body[field];
      if (value !== undefined && value !== null) changes[field] = value as Record<string, unknown>;
    }
    for (const field of ['is_breakglass', 'mfa_enrolled'] as const) {
      const value = ctx.body[field];
      if (typeof value === 'boolean') changes[field] = value;
    }
    const defaultMfa = ctx.optionalText('default_mfa_method');
    if (defaultMfa !== undefined) changes.default_mfa_method = defaultMfa;
    return changes;
  }
}

/** The subset of Stytch's search query language the emulator understands: AND/OR over list filters. */
function matchesQuery(query: SearchQuery | undefined, filter: (name: string, values: unknown) => boolean): boolean {
  if (!query?.operands?.length) return true;
  const results = query.operands.map((operand) => {
    const { filter_name, filter_value } = operand as { filter_name: string; filter_value: unknown };
    return filter(filter_name, filter_value);
  });
  return query.operator === 'OR' ? results.some(Boolean) : results.every(Boolean);
}

const asList = (values: unknown): string[] => (Array.isArray(values) ? values.map(String) : [String(values)]);

function organizationFilter(organization: Organization, name: string, values: unknown): boolean {
  switch (name) {
    case 'organization_ids':
      return asList(values).includes(organization.organization_id);
    case 'organization_slugs':
      return asList(values).includes(organization.organization_slug);
    case 'organization_name_fuzzy':
      return organization.organization_name.toLowerCase().includes(String(values).toLowerCase());
    default:
      throw new StytchFailure(400, 'bad_request', `search filter ${name} is not supported by the emulator`);
  }
}

function memberFilter(record: MemberRecord, name: string, values: unknown): boolean {
  const member = record.member;
  switch (name) {
    case 'member_ids':
      return asList(values).includes(member.member_id);
    case 'member_emails':
      return asList(values).map((v) => v.toLowerCase()).includes(member.email_address);
    case 'statuses':
      return asList(values).includes(member.status);
    case 'member_roles':
      return asList(values).some((role) => member.roles.some((r) => r.role_id === role));
    case 'member_email_fuzzy':
      return member.email_address.includes(String(values).toLowerCase());
    default:
      throw new StytchFailure(400, 'bad_request', `search filter ${name} is not supported by the emulator`);
  }
}
