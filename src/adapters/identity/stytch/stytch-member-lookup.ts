import type { IdentityLinkRepository } from '../../../application/ports/identity-link-repository.port.js';
import type { MembershipRepository } from '../../../application/ports/membership-repository.port.js';
import type { SecondFactorScope } from '../../../application/ports/second-factor-authority.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { unsupported } from './stytch-flow-errors.js';

/** Where a Gatehouse user or organization is at Stytch, read from the mirror's identity links. */
export class StytchMemberLookup {
  constructor(private readonly deps: { memberships: MembershipRepository; links: IdentityLinkRepository }) {}

  /** The Stytch member behind a user in the scope's organization; null without one, or (when `required`) IDENTITY_CAPABILITY_UNSUPPORTED / MEMBER_NOT_FOUND. */
  async memberIn(userId: string, scope: SecondFactorScope | undefined, required: boolean): Promise<{ organizationId: string; memberId: string } | null> {
    const tenantId = scope?.tenantId ?? null;
    if (tenantId === null) {
      if (!required) return null;
      throw unsupported('With Stytch, second factors belong to a member of an organization; sign in to one first');
    }
    const membership = await this.deps.memberships.findByUser(tenantId, userId);
    const link = membership ? await this.deps.links.findByLocal('member', membership.id) : null;
    if (!link || link.deletedAt) {
      if (!required) return null;
      throw new DomainError('MEMBER_NOT_FOUND', 'This member is not known to the identity provider');
    }
    return { organizationId: await this.externalOrganizationId(tenantId), memberId: link.externalId };
  }

  /** The linked Stytch organization id; TENANT_NOT_FOUND for an organization Stytch does not know (or deleted). */
  async externalOrganizationId(tenantId: string): Promise<string> {
    const link = await this.deps.links.findByLocal('organization', tenantId);
    if (!link || link.deletedAt) throw new DomainError('TENANT_NOT_FOUND', 'This organization is not known to the identity provider');
    return link.externalId;
  }

  /** Every live Stytch member behind the user's memberships. */
  async linkedMembers(userId: string): Promise<Array<{ organizationId: string; memberId: string }>> {
    const memberships = await this.deps.memberships.listByUser(userId);
    const found = await Promise.all(
      memberships.map(async (m) => {
        const [member, org] = await Promise.all([this.deps.links.findByLocal('member', m.id), this.deps.links.findByLocal('organization', m.tenantId)]);
        return member && org && !member.deletedAt && !org.deletedAt ? { organizationId: org.externalId, memberId: member.externalId } : null;
      }),
    );
    return found.filter((x): x is { organizationId: string; memberId: string } => x !== null);
  }
}
