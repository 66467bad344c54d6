import type { DiscoveredOrganization, Member, Organization } from 'stytch';
import type { ExternalMember, ExternalOrganization } from '../../../application/ports/identity-directory.port.js';
import type { SystemRole } from '../../../domain/tenancy/system-role.js';

/** Stytch role ids → the Gatehouse system role (STYTCH_ROLE_MAP). */
export type RoleOf = (stytchRoleIds: readonly string[]) => SystemRole;

/** The fields of Stytch's `Organization` and `Member` the mirror reads (SDK answers and webhook bodies alike). */
export type OrganizationFields = Pick<Organization, 'organization_id' | 'organization_name' | 'organization_slug' | 'mfa_policy' | 'email_allowed_domains' | 'email_jit_provisioning' | 'updated_at'>;
export type MemberFields = Pick<Member, 'organization_id' | 'member_id' | 'email_address' | 'status' | 'name' | 'email_address_verified' | 'is_locked' | 'updated_at'> & {
  roles: ReadonlyArray<{ role_id: string }>;
};

/**
 * A Stytch organization in Gatehouse's terms. Allowed domains admit people by themselves only with
 * `email_jit_provisioning: RESTRICTED`. `fallbackAt` (a webhook's time) stands in for a missing `updated_at`.
 */
export function externalOrganization(org: OrganizationFields, fallbackAt: Date | null = null): ExternalOrganization {
  return {
    externalId: org.organization_id,
    name: org.organization_name,
    slug: org.organization_slug,
    mfaRequired: org.mfa_policy === 'REQUIRED_FOR_ALL',
    emailAllowedDomains: org.email_jit_provisioning === 'RESTRICTED' ? [...org.email_allowed_domains] : [],
    updatedAt: parseTime(org.updated_at) ?? fallbackAt,
  };
}

/** A Stytch member in Gatehouse's terms: roles mapped, deleted or locked members `removed` (their sessions end now). */
export function externalMember(member: MemberFields, roleOf: RoleOf, fallbackAt: Date | null = null): ExternalMember {
  const status: ExternalMember['status'] = member.status === 'deleted' || member.is_locked ? 'removed' : member.status === 'active' ? 'active' : 'invited';
  return {
    externalId: member.member_id,
    externalOrganizationId: member.organization_id,
    email: member.email_address,
    name: member.name,
    role: roleOf(member.roles.map((r) => r.role_id)),
    status,
    emailVerified: member.email_address_verified,
    updatedAt: parseTime(member.updated_at) ?? fallbackAt,
  };
}

/** The discovered organizations in which the person already is a member (active or invited), with that member. */
export function discoveredMemberships(found: readonly DiscoveredOrganization[]): Array<{ organization: Organization; member: Member }> {
  return found.flatMap((d) =>
    d.organization && d.membership?.member && (d.membership.type === 'active_member' || d.membership.type === 'invited_member' || d.membership.type === 'pending_member')
      ? [{ organization: d.organization, member: d.membership.member }]
      : [],
  );
}

function parseTime(value: string | undefined): Date | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}
