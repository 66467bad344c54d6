import { DomainError } from '../../domain/shared/domain-error.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import { type BillingAvailability, requireGateway } from '../services/billing-availability.js';
import type { OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/**
 * Opens the provider's customer portal (payment method, invoices, plan changes, cancellation)
 * for an organization's billing customer. Admins only (`billing:manage`); other tenants' ids
 * answer TENANT_NOT_FOUND like every organization route.
 */
export class OpenBillingPortal {
  constructor(private readonly deps: { billing: BillingAvailability; context: OrgContext; audit: AuditRecorder; returnUrl: string }) {}

  async execute(principal: Principal, orgRef: string, meta: RequestMeta): Promise<{ url: string }> {
    const gateway = requireGateway(this.deps.billing);
    const { org } = await this.deps.context.require(principal, orgRef, 'billing:manage', meta, { archived: 'allowed' });
    if (!org.billingCustomerId) throw new DomainError('BILLING_CUSTOMER_MISSING', 'This organization has no billing account yet; choose a plan first');
    const portal = await gateway.createPortalSession(org.billingCustomerId, this.deps.returnUrl);
    await this.deps.audit.record({ action: 'billing.portal_opened', tenantId: org.id, actorUserId: principal.userId, targetType: 'organization', targetId: org.id }, meta);
    return portal;
  }
}
