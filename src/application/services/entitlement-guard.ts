import { checkAddition, type EntitlementKind, type Entitlements, entitlementsFor, type Usage } from '../../domain/entitlements/plan-entitlements.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { EntityRepository } from '../ports/entity-repository.port.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';

/**
 * Plan limits at the point of writing. `assertRoom` is the check-and-reserve step of an addition:
 * it takes the tenant lock, then reads the plan and counts, so the insert that follows in the same
 * unit of work cannot be raced by another addition (or by a plan change) of the same tenant.
 */
export class EntitlementGuard {
  constructor(private readonly deps: { orgs: OrganizationRepository; entities: EntityRepository; memberships: MembershipRepository }) {}

  /** The organization's entitlements (from its plan) and current usage. */
  async read(tenantId: string): Promise<{ entitlements: Entitlements; usage: Usage }> {
    const org = await this.deps.orgs.findById(tenantId);
    const entitlements = entitlementsFor(org?.plan ?? null);
    const [entities, members] = await Promise.all([this.deps.entities.count(tenantId), this.countMembers(tenantId)]);
    return { entitlements, usage: { entities, members } };
  }

  /**
   * Throws ENTITLEMENT_EXCEEDED (details: kind, limit, used, plan) unless `count` more of `kind`
   * fit the plan. Call it inside `uow.run`, right before the insert it guards: the tenant lock it
   * takes is held until that unit of work ends, which is what makes the count still true at commit.
   */
  async assertRoom(tenantId: string, kind: EntitlementKind, count = 1): Promise<void> {
    await this.deps.orgs.lock(tenantId);
    // Read after the lock: a plan changed by a transaction that held the lock before us is seen.
    const org = await this.deps.orgs.findById(tenantId);
    const entitlements = entitlementsFor(org?.plan ?? null);
    if (entitlements.limits[kind] === null) return;
    const used = kind === 'entities' ? await this.deps.entities.count(tenantId) : await this.countMembers(tenantId);
    const usage: Usage = { entities: 0, members: 0, [kind]: used };
    const check = checkAddition(entitlements, usage, kind, count);
    if (check.allowed) return;
    const noun = kind === 'entities' ? 'entities' : 'seats';
    throw new DomainError('ENTITLEMENT_EXCEEDED', `The ${entitlements.plan} plan allows ${check.limit} ${noun}; ${check.used} are in use`, {
      kind,
      limit: check.limit,
      used: check.used,
      plan: entitlements.plan,
    });
  }

  /** Seats: every membership, invited ones included (an invitation holds a seat until revoked). */
  private async countMembers(tenantId: string): Promise<number> {
    return (await this.deps.memberships.listByTenant(tenantId)).length;
  }
}
