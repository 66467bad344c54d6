import { defineEntity, p } from '@mikro-orm/core';
import type { AuditAction, AuditEvent } from '../../../../domain/audit/audit-event.js';

/** Row of `audit_events`; no foreign key on tenant_id, the trail outlives its tenant. */
export const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  properties: {
    id: p.text().primary(),
    tenantId: p.text().nullable(),
    actorUserId: p.text().nullable(),
    action: p.text().$type<AuditAction>(),
    outcome: p.text().$type<AuditEvent['outcome']>(),
    targetType: p.text().nullable(),
    targetId: p.text().nullable(),
    ip: p.text().nullable(),
    userAgent: p.text().nullable(),
    metadata: p.json<AuditEvent['metadata']>(),
    occurredAt: p.datetime(),
  },
});
