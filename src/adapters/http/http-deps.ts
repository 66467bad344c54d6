import type { AccessTokenService } from '../../application/ports/access-token-service.port.js';
import type { AuthenticateRequest } from '../../application/use-cases/authenticate-request.js';
import type { ListBillingPlans } from '../../application/use-cases/billing-list-plans.js';
import type { OpenBillingPortal } from '../../application/use-cases/billing-open-portal.js';
import type { StartCheckout } from '../../application/use-cases/billing-start-checkout.js';
import type { Authorize } from '../../application/use-cases/authorize.js';
import type { Discovery } from '../../application/use-cases/discovery.js';
import type { GetCheckoutStatus } from '../../application/use-cases/get-checkout-status.js';
import type { ManageOnboarding } from '../../application/use-cases/manage-onboarding.js';
import type { ReceiveBillingWebhook } from '../../application/use-cases/receive-billing-webhook.js';
import type { ReceiveIdentityWebhook } from '../../application/use-cases/receive-identity-webhook.js';
import type { EmailLinkFlows } from '../../application/use-cases/email-link-flows.js';
import type { EnrolTotp } from '../../application/use-cases/enrol-totp.js';
import type { GetEntitlements } from '../../application/use-cases/get-entitlements.js';
import type { GetMe } from '../../application/use-cases/get-me.js';
import type { ListSessions } from '../../application/use-cases/list-sessions.js';
import type { LoginWithPassword } from '../../application/use-cases/login-with-password.js';
import type { ManageMfa } from '../../application/use-cases/manage-mfa.js';
import type { Logout } from '../../application/use-cases/logout.js';
import type { ManageCustomRoles } from '../../application/use-cases/manage-custom-roles.js';
import type { ManageEntities } from '../../application/use-cases/manage-entities.js';
import type { ManageEntityGrants } from '../../application/use-cases/manage-entity-grants.js';
import type { ManageMembers } from '../../application/use-cases/manage-members.js';
import type { ManageOrganizations } from '../../application/use-cases/manage-organizations.js';
import type { ReadAuditLog } from '../../application/use-cases/read-audit-log.js';
import type { RefreshSession } from '../../application/use-cases/refresh-session.js';
import type { RegisterUser } from '../../application/use-cases/register-user.js';
import type { SelectOrganization } from '../../application/use-cases/select-organization.js';
import type { VerifyMfa } from '../../application/use-cases/verify-mfa.js';
import type { RefreshTransport } from './refresh-transport.js';

/** Everything the HTTP adapter calls; the composition root provides it. */
export interface HttpDeps {
  register: RegisterUser;
  login: LoginWithPassword;
  refresh: RefreshSession;
  logout: Logout;
  selectOrganization: SelectOrganization;
  listSessions: ListSessions;
  authenticate: AuthenticateRequest;
  me: GetMe;
  organizations: ManageOrganizations;
  members: ManageMembers;
  /** Plan, features and limits with usage (docs/entitlements.md). */
  entitlements: GetEntitlements;
  auditLog: ReadAuditLog;
  tokens: AccessTokenService;
  refreshTransport: RefreshTransport;
  enrolTotp: EnrolTotp;
  manageMfa: ManageMfa;
  verifyMfa: VerifyMfa;
  flows: EmailLinkFlows;
  discovery: Discovery;
  /** Custom roles (and the system roles) of an organization. */
  roles: ManageCustomRoles;
  entities: ManageEntities;
  grants: ManageEntityGrants;
  /** Plans and whether billing is configured (works without Stripe). */
  billingPlans: ListBillingPlans;
  /** Stripe Checkout for a new or an existing organization. */
  checkout: StartCheckout;
  /** Stripe Billing Portal for an organization's admins. */
  billingPortal: OpenBillingPortal;
  /** Stripe webhooks, verified and applied exactly once. */
  billingWebhook: ReceiveBillingWebhook;
  /** Stytch (identity provider) webhooks, verified and applied to the mirror exactly once. */
  identityWebhook: ReceiveIdentityWebhook;
  /** Provisioning status of a checkout session (pending page). */
  checkoutStatus: GetCheckoutStatus;
  /** The organization's onboarding checklist. */
  onboarding: ManageOnboarding;
  /** The decision API for relying apps. */
  authorize: Authorize;
  /** Readiness: database reachable and migrations applied. */
  ready: () => Promise<{ ready: boolean; checks: Record<string, boolean> }>;
}
