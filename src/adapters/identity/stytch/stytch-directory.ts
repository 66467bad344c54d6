import type { B2BClient, B2BOrganizationsUpdateRequest, Member } from 'stytch';
import type { ExternalMember, ExternalOrganization, IdentityDirectory } from '../../../application/ports/identity-directory.port.js';
import type { IdentityLinkRepository } from '../../../application/ports/identity-link-repository.port.js';
import { DomainError, isDomainError } from '../../../domain/shared/domain-error.js';
import type { SystemRole } from '../../../domain/tenancy/system-role.js';
import { callStytch, type StytchErrorMap } from './stytch-client.js';
import { externalMember, externalOrganization } from './stytch-objects.js';
import { gatehouseRoleOf, stytchRoleFor, type StytchRoleMap } from './stytch-role-map.js';

const ORGANIZATION_ERRORS: StytchErrorMap = { organization_slug_already_used: 'TENANT_SLUG_TAKEN', organization_not_found: 'TENANT_NOT_FOUND' };
const MEMBER_ERRORS: StytchErrorMap = { ...ORGANIZATION_ERRORS, duplicate_member_email: 'MEMBER_ALREADY_EXISTS', member_not_found: 'MEMBER_NOT_FOUND' };
/** Stytch's default role: every member holds it besides the roles assigned to them. */
const STYTCH_DEFAULT_ROLE = 'stytch_member';

/**
 * The IdentityDirectory port over Stytch B2B with the real `stytch` SDK: organization and member
 * writes Gatehouse makes go to Stytch first (the use case commits locally afterwards), so both
 * directories name the same people with the same roles. Local ids are turned into Stytch ids
 * through the identity links; Stytch failures leave as DomainErrors (callStytch).
 */
export class StytchDirectory implements IdentityDirectory {
  readonly external = true;

  constructor(
    private readonly deps: {
      client: B2BClient;
      links: IdentityLinkRepository;
      /** STYTCH_ROLE_MAP: Stytch role ids ↔ Gatehouse roles. */
      roleMap: StytchRoleMap;
    },
  ) {}

  /**
   * Two calls (Stytch creates an organization with a member only from an intermediate session,
   * which a server-side creation has not got): the organization, then its creator as admin.
   * When the second fails the organization is deleted again, so nothing is left half-made.
   * `organization_external_id` carries Gatehouse's id, so the Stytch side names it too.
   */
  async createOrganization(
    org: { id: string; name: string; slug: string },
    creator: { userId: string; email: string; name: string | null; invite?: boolean },
  ): Promise<{ organization: ExternalOrganization; creator: ExternalMember }> {
    const adminRole = this.stytchRole('admin');
    const created = await callStytch(
      'organizations.create',
      () => this.deps.client.organizations.create({ organization_name: org.name, organization_slug: org.slug, organization_external_id: org.id }),
      ORGANIZATION_ERRORS,
    );
    const organizationId = created.organization.organization_id;
    try {
      const member = await this.createMember(organizationId, { email: creator.email, name: creator.name, roleId: adminRole, invite: creator.invite ?? false });
      return { organization: externalOrganization(created.organization), creator: this.toExternal(member) };
    } catch (error) {
      await this.undoCreation(organizationId);
      throw error;
    }
  }

  async updateOrganization(tenantId: string, changes: { name?: string; slug?: string; mfaRequired?: boolean; emailAllowedDomains?: readonly string[] }): Promise<ExternalOrganization> {
    const request: B2BOrganizationsUpdateRequest = { organization_id: await this.organizationId(tenantId) };
    if (changes.name !== undefined) request.organization_name = changes.name;
    if (changes.slug !== undefined) request.organization_slug = changes.slug;
    if (changes.mfaRequired !== undefined) request.mfa_policy = changes.mfaRequired ? 'REQUIRED_FOR_ALL' : 'OPTIONAL';
    if (changes.emailAllowedDomains !== undefined) {
      // Stytch lets verified addresses of these domains join only with RESTRICTED (integration notes).
      request.email_allowed_domains = [...changes.emailAllowedDomains];
      request.email_jit_provisioning = changes.emailAllowedDomains.length > 0 ? 'RESTRICTED' : 'NOT_ALLOWED';
    }
    const updated = await callStytch('organizations.update', () => this.deps.client.organizations.update(request), ORGANIZATION_ERRORS);
    return externalOrganization(updated.organization);
  }

  async deleteOrganization(tenantId: string): Promise<void> {
    await this.deleteOrganizationAt(await this.organizationId(tenantId));
  }

  async addMember(tenantId: string, member: { email: string; name: string | null; role: SystemRole; invite?: boolean }): Promise<ExternalMember> {
    const roleId = this.stytchRole(member.role);
    const created = await this.createMember(await this.organizationId(tenantId), { email: member.email, name: member.name, roleId, invite: member.invite ?? false });
    return this.toExternal(created);
  }

  /** Replaces the member's directly assigned roles with the one role `role` maps to. */
  async changeMemberRole(tenantId: string, membershipId: string, role: SystemRole): Promise<ExternalMember> {
    const roleId = this.stytchRole(role);
    const { organizationId, memberId } = await this.memberIds(tenantId, membershipId);
    const updated = await callStytch(
      'organizations.members.update',
      () => this.deps.client.organizations.members.update({ organization_id: organizationId, member_id: memberId, roles: [roleId] }),
      MEMBER_ERRORS,
    );
    return this.toExternal(updated.member);
  }

  async removeMember(tenantId: string, membershipId: string): Promise<void> {
    const { organizationId, memberId } = await this.memberIds(tenantId, membershipId);
    await this.deleteMember(organizationId, memberId);
  }

  async discardOrganization(organization: ExternalOrganization): Promise<void> {
    await this.deleteOrganizationAt(organization.externalId);
  }

  async discardMember(member: ExternalMember): Promise<void> {
    await this.deleteMember(member.externalOrganizationId, member.externalId);
  }

  // ---- internals -----------------------------------------------------------------------------

  /**
   * A person with an account becomes an active member at once (as with the built-in provider);
   * one without gets Stytch's invitation email, which replaces Gatehouse's activation link.
   */
  private async createMember(organizationId: string, member: { email: string; name: string | null; roleId: string; invite: boolean }): Promise<Member> {
    const common = { organization_id: organizationId, email_address: member.email, roles: [member.roleId], ...(member.name ? { name: member.name } : {}) };
    if (member.invite) {
      return (await callStytch('magic_links.email.invite', () => this.deps.client.magicLinks.email.invite(common), MEMBER_ERRORS)).member;
    }
    return (await callStytch('organizations.members.create', () => this.deps.client.organizations.members.create(common), MEMBER_ERRORS)).member;
  }

  /** Deletes a member; one already gone at Stytch is what was wanted (a retried removal). */
  private async deleteMember(organizationId: string, memberId: string): Promise<void> {
    try {
      await callStytch('organizations.members.delete', () => this.deps.client.organizations.members.delete({ organization_id: organizationId, member_id: memberId }), MEMBER_ERRORS);
    } catch (error) {
      if (!isDomainError(error, 'MEMBER_NOT_FOUND') && !isDomainError(error, 'TENANT_NOT_FOUND')) throw error;
    }
  }

  /** Deletes an organization; one already gone at Stytch is what was wanted. */
  private async deleteOrganizationAt(organizationId: string): Promise<void> {
    try {
      await callStytch('organizations.delete', () => this.deps.client.organizations.delete({ organization_id: organizationId }), ORGANIZATION_ERRORS);
    } catch (error) {
      if (!isDomainError(error, 'TENANT_NOT_FOUND')) throw error;
    }
  }

  /** The undo of a half-made creation: its failure must not hide the error that caused it. */
  private async undoCreation(organizationId: string): Promise<void> {
    try {
      await this.deleteOrganizationAt(organizationId);
    } catch {
      // Left at Stytch with no member and no link; the original error is the one to report.
    }
  }

  /**
   * The Stytch role to assign for `role`. Refused before any call when STYTCH_ROLE_MAP cannot
   * express it: a role that does not map back (say `viewer` while `stytch_member`, which every
   * member holds, maps to `member`) would be undone by the next sync from Stytch.
   */
  private stytchRole(role: SystemRole): string {
    const roleId = stytchRoleFor(this.deps.roleMap, role);
    if (roleId === null || gatehouseRoleOf(this.deps.roleMap, [STYTCH_DEFAULT_ROLE, roleId]) !== role) {
      throw new DomainError('IDENTITY_CAPABILITY_UNSUPPORTED', `STYTCH_ROLE_MAP has no Stytch role for ${role}`, { role });
    }
    return roleId;
  }

  private toExternal(member: Member): ExternalMember {
    return externalMember(member, (ids) => gatehouseRoleOf(this.deps.roleMap, ids));
  }

  private async organizationId(tenantId: string): Promise<string> {
    const link = await this.deps.links.findByLocal('organization', tenantId);
    if (!link || link.deletedAt) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
    return link.externalId;
  }

  private async memberIds(tenantId: string, membershipId: string): Promise<{ organizationId: string; memberId: string }> {
    const organizationId = await this.organizationId(tenantId);
    const link = await this.deps.links.findByLocal('member', membershipId);
    if (!link || link.deletedAt || link.tenantId !== tenantId) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
    return { organizationId, memberId: link.externalId };
  }
}
