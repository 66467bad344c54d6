import { DomainError } from '../../domain/shared/domain-error.js';
import type { Membership } from '../../domain/tenancy/membership.js';
import type { Organization } from '../../domain/tenancy/organization.js';
import { assertSignInAllowed } from '../../domain/tenancy/organization-status.js';
import { roleAtLeast, type SystemRole } from '../../domain/tenancy/system-role.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { AuditRecorder } from './audit-recorder.js';
import { findOrganization } from './organization-resolver.js';
import type { Principal, RequestMeta } from './request-meta.js';

/** The caller inside one organization: the tenant and their current membership. */
export interface OrgScope {
  org: Organization;
  membership: Membership;
  principal: Principal;
}

/**
 * Resolves `:org` for a caller. Unknown organizations and organizations the caller
 * is not a member of both answer TENANT_NOT_FOUND, so ids of other tenants reveal nothing.
 * The membership is read from the store on each request: role changes apply at once.
 */
export class OrgContext {
  constructor(private readonly deps: { orgs: OrganizationRepository; memberships: MembershipRepository; audit: AuditRecorder }) {}

  async resolve(principal: Principal, orgRef: string): Promise<OrgScope> {
    const org = await findOrganization(this.deps.orgs, orgRef);
    const membership = org ? await this.deps.memberships.findByUser(org.id, principal.userId) : null;
    if (!org || !membership?.isActive) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
    // Archived or suspended tenants keep their data but their API answers 403.
    assertSignInAllowed(org.status);
    return { org, membership, principal };
  }

  /** Resolves and requires at least `role`; a denial is audited and answers ACCESS_DENIED. */
  async require(principal: Principal, orgRef: string, role: SystemRole, action: string, meta: RequestMeta): Promise<OrgScope> {
    const scope = await this.resolve(principal, orgRef);
    if (!roleAtLeast(scope.membership.role, role)) {
      await this.deps.audit.record(
        { action: 'access.denied', outcome: 'failure', tenantId: scope.org.id, actorUserId: principal.userId, metadata: { attempted: action, role: scope.membership.role } },
        meta,
      );
      throw new DomainError('ACCESS_DENIED', `Your role does not allow ${action}`);
    }
    return scope;
  }
}
