import type { Entitlements, Usage } from '../../domain/entitlements/plan-entitlements.js';
import type { EntitlementGuard } from '../services/entitlement-guard.js';
import type { OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** An organization's plan, features and limits with current usage. */
export interface EntitlementsReport {
  entitlements: Entitlements;
  usage: Usage;
}

/** `GET /organizations/:org/entitlements`: any member (`organization:read`) sees usage against the plan. */
export class GetEntitlements {
  constructor(private readonly deps: { context: OrgContext; guard: EntitlementGuard }) {}

  async execute(principal: Principal, orgRef: string, meta: RequestMeta): Promise<EntitlementsReport> {
    const { org } = await this.deps.context.require(principal, orgRef, 'organization:read', meta);
    return this.deps.guard.read(org.id);
  }
}
