/** Security-relevant actions the audit log records. */
export const AUDIT_ACTIONS = [
  'auth.register',
  'auth.register.address_taken',
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.refresh.reuse_detected',
  'auth.logout',
  'auth.logout_everywhere',
  'auth.session_revoked',
  'auth.switch_organization',
  'auth.mfa.failed',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.recovery_codes_regenerated',
  'auth.email_verified',
  'auth.activated',
  'auth.password_reset',
  'auth.password_changed',
  'auth.magic_link.authenticated',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'member.added',
  'member.removed',
  'member.invitation_resent',
  'member.invitation_revoked',
  'member.role_changed',
  'access.denied',
  'member.custom_roles_changed',
  'role.created',
  'role.updated',
  'role.deleted',
  'entity.created',
  'entity.updated',
  'entity.deleted',
  'grant.created',
  'grant.changed',
  'grant.revoked',
  'billing.checkout_started',
  'billing.portal_opened',
  'billing.organization_provisioned',
  'billing.status_changed',
] as const;

/** One of the recorded actions. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One entry of the audit log. Never holds secrets; emails only where they identify the subject. */
export interface AuditEvent {
  id: string;
  tenantId: string | null;
  actorUserId: string | null;
  action: AuditAction;
  outcome: 'success' | 'failure';
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, string | number | boolean | null>;
  occurredAt: Date;
}
