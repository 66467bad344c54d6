import type { AuditEvent } from '../../domain/audit/audit-event.js';
import type { Session } from '../../domain/credentials/session.js';
import type { Membership } from '../../domain/tenancy/membership.js';
import type { Organization } from '../../domain/tenancy/organization.js';
import type { User } from '../../domain/tenancy/user.js';
import { deviceLabel } from './device-label.js';

/** JSON shapes of domain objects; the zod schemas in ./schemas describe the same shapes. */
export const present = {
  organization: (o: Organization) => ({
    id: o.id,
    slug: o.slug,
    name: o.name,
    status: o.status,
    plan: o.plan,
    policy: o.policy,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  }),
  member: (m: Membership, u: User) => ({
    id: m.id,
    userId: u.id,
    email: u.email,
    // Who holds the address shows once they accept: an invitation tells the organization nothing about them.
    name: m.status === 'active' ? u.name : null,
    role: m.role,
    customRoles: m.customRoles,
    status: m.status,
    createdAt: m.createdAt.toISOString(),
  }),
  user: (u: User) => ({ id: u.id, email: u.email, name: u.name, emailVerified: u.emailVerifiedAt !== null, createdAt: u.createdAt.toISOString() }),
  session: (s: Session, current: boolean) => ({
    id: s.id,
    current,
    organizationId: s.tenantId,
    device: deviceLabel(s.userAgent),
    userAgent: s.userAgent,
    ip: s.ip,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
  }),
  auditEvent: (e: AuditEvent) => ({
    id: e.id,
    action: e.action,
    outcome: e.outcome,
    actorUserId: e.actorUserId,
    targetType: e.targetType,
    targetId: e.targetId,
    ip: e.ip,
    userAgent: e.userAgent,
    metadata: e.metadata,
    occurredAt: e.occurredAt.toISOString(),
  }),
};
