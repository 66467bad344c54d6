import { canAssignPermissions } from '../../domain/access/can-assign-permissions.js';
import { canGrant } from '../../domain/access/can-grant.js';
import { decide } from '../../domain/access/decide.js';
import type { Decision } from '../../domain/access/decision.js';
import { effectivePermissions } from '../../domain/access/effective-permissions.js';
import type { EntityLevel } from '../../domain/access/entity-level.js';
import { grantingLevel } from '../../domain/access/granting-level.js';
import type { Permission } from '../../domain/access/permission.js';
import { hasSecondFactor } from '../../domain/credentials/mfa-challenge.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Entity } from '../../domain/tenancy/entity.js';
import type { Membership } from '../../domain/tenancy/membership.js';
import { assertAuthMethodAllowed, type Organization } from '../../domain/tenancy/organization.js';
import { assertSignInAllowed } from '../../domain/tenancy/organization-status.js';
import type { EntityRepository } from '../ports/entity-repository.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { AccessViews, OrganizationAccess } from './access-views.js';
import type { AuditRecorder } from './audit-recorder.js';
import { findOrganization } from './organization-resolver.js';
import type { Principal, RequestMeta } from './request-meta.js';

/** The caller inside one organization: the tenant and their current membership. */
export interface OrgScope {
  org: Organization;
  membership: Membership;
  principal: Principal;
}

/** A caller allowed to do something: the scope, the access view it was decided on and the decision. */
export interface AuthorizedScope extends OrgScope {
  access: OrganizationAccess;
  decision: Decision;
}

/** How `resolve` treats an organization's status. */
export interface ScopeOptions {
  archived?: 'allowed';
}

/** What a refused attempt was, for the audit log and the error's details. */
interface Attempt {
  permission: string;
  reason: string;
  level?: EntityLevel | null;
  entityId?: string;
  /** Permissions or level the caller lacks (escalation refusals). */
  missing?: string;
}

/**
 * The one authorization function of the application: resolves `:org` for a caller and decides
 * with the access domain's `decide` over the organization's cached view. Use cases ask it for a
 * permission and never compare role strings.
 *
 * Unknown organizations and organizations the caller is not a member of both answer
 * TENANT_NOT_FOUND, so ids of other tenants reveal nothing; an entity of another tenant is
 * ENTITY_NOT_FOUND. Every refusal is audited (`access.denied`) and answers 403: ACCESS_DENIED,
 * or ACCESS_ESCALATION_DENIED when the caller tries to hand out more than they hold.
 */
export class OrgContext {
  constructor(
    private readonly deps: { orgs: OrganizationRepository; memberships: MembershipRepository; entities: EntityRepository; views: AccessViews; audit: AuditRecorder },
  ) {}

  /**
   * The organization and the caller's active membership in it, read from the store on each request.
   * `archived: 'allowed'` lets billing (buying again is how it comes back) and deletion reach an archived organization.
   */
  async resolve(principal: Principal, orgRef: string, options: ScopeOptions = {}): Promise<OrgScope> {
    const org = await findOrganization(this.deps.orgs, orgRef);
    const membership = org ? await this.deps.memberships.findByUser(org.id, principal.userId) : null;
    if (!org || !membership?.isActive) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
    // Archived or suspended tenants keep their data but their API answers 403.
    if (!(options.archived === 'allowed' && org.status === 'archived')) assertSignInAllowed(org.status);
    // A session started elsewhere (another organization, or none) enters this one as a switch would: an
    // organization that requires MFA is not run from a session without a second factor (docs/flows/mfa.md).
    if (principal.tenantId !== org.id) {
      if (org.policy.mfaRequired && !hasSecondFactor(principal.amr)) {
        throw new DomainError('MFA_REQUIRED', 'This organization requires a second factor: switch to it (POST /api/v1/auth/switch-organization) and complete MFA');
      }
      assertAuthMethodAllowed(org.policy, principal.amr);
    }
    return { org, membership, principal };
  }

  /** The organization's access view, never older than the caller's membership just read. */
  access(scope: OrgScope): Promise<OrganizationAccess> {
    return this.deps.views.forMember(scope.org.id, scope.membership.id, scope.membership.version);
  }

  /** Resolves and requires an organization-wide `permission` (for `entity:*`: on every entity). */
  async require(principal: Principal, orgRef: string, permission: Permission, meta: RequestMeta, options: ScopeOptions = {}): Promise<AuthorizedScope> {
    const scope = await this.resolve(principal, orgRef, options);
    const access = await this.access(scope);
    const decision = decide(access.view, scope.membership.id, permission);
    if (!decision.allowed) await this.deny(scope, { permission, reason: decision.reason, level: decision.level }, meta);
    return { ...scope, access, decision };
  }

  /** Resolves, finds the entity in this organization (ENTITY_NOT_FOUND otherwise) and requires `permission` on it. */
  async requireOnEntity(principal: Principal, orgRef: string, entityId: string, permission: Permission, meta: RequestMeta): Promise<AuthorizedScope & { entity: Entity }> {
    const scope = await this.resolve(principal, orgRef);
    const entity = await this.deps.entities.findById(scope.org.id, entityId);
    if (!entity) throw new DomainError('ENTITY_NOT_FOUND', 'Entity not found');
    const access = await this.access(scope);
    const decision = decide(access.view, scope.membership.id, permission, entity.id);
    if (!decision.allowed) await this.deny(scope, { permission, reason: decision.reason, level: decision.level, entityId: entity.id }, meta);
    return { ...scope, access, decision, entity };
  }

  /**
   * Anti-escalation for roles: the caller must hold every permission of what they create, change,
   * assign or take away (`canAssignPermissions` against their organization-wide permissions).
   */
  async assertHolds(scope: AuthorizedScope, permissions: Iterable<string>, attempted: Permission, meta: RequestMeta): Promise<void> {
    const mine = effectivePermissions(scope.access.view, scope.membership.id);
    const check = canAssignPermissions(mine.ok ? mine.value.permissions : [], permissions);
    if (check.allowed) return;
    if (check.reason === 'unknown_permission') {
      throw new DomainError('ACCESS_UNKNOWN_PERMISSION', 'Not a permission of the catalogue', { subject: check.permissions[0] ?? null });
    }
    await this.deny(scope, { permission: attempted, reason: 'not_held', missing: check.permissions.join(',') }, meta, 'ACCESS_ESCALATION_DENIED');
  }

  /**
   * Anti-escalation for grants: on this entity the caller needs at least `manager` and may hand out
   * (or change, or take away) nothing above their own level (`canGrant` with `grantingLevel`).
   */
  async assertMayGrant(scope: AuthorizedScope, entityId: string, levels: readonly EntityLevel[], meta: RequestMeta): Promise<void> {
    const own = grantingLevel(scope.access.view, scope.membership.id, entityId);
    for (const level of levels) {
      const check = canGrant(own, level);
      if (check.allowed) continue;
      if (check.reason === 'invalid_level') throw new DomainError('ACCESS_INVALID_ENTITY_LEVEL', 'Not an entity level (viewer, editor, manager, admin)', { subject: level });
      const code = check.reason === 'above_own_level' ? 'ACCESS_ESCALATION_DENIED' : 'ACCESS_DENIED';
      await this.deny(scope, { permission: 'entity:share', reason: check.reason, level: own, entityId, missing: level }, meta, code);
    }
  }

  /** Records the refusal (`access.denied`) and throws the 403. */
  async deny(scope: OrgScope, attempt: Attempt, meta: RequestMeta, code: 'ACCESS_DENIED' | 'ACCESS_ESCALATION_DENIED' = 'ACCESS_DENIED'): Promise<never> {
    await this.deps.audit.record(
      {
        action: 'access.denied',
        outcome: 'failure',
        tenantId: scope.org.id,
        actorUserId: scope.principal.userId,
        ...(attempt.entityId ? { targetType: 'entity', targetId: attempt.entityId } : {}),
        metadata: { attempted: attempt.permission, role: scope.membership.role, reason: attempt.reason, level: attempt.level ?? null, ...(attempt.missing ? { missing: attempt.missing } : {}) },
      },
      meta,
    );
    const message =
      code === 'ACCESS_ESCALATION_DENIED'
        ? `Nobody can hand out more than they hold (${attempt.missing ?? attempt.permission})`
        : `You may not ${attempt.permission}${attempt.entityId ? ' on this entity' : ''}`;
    throw new DomainError(code, message, { permission: attempt.permission, reason: attempt.reason });
  }
}
