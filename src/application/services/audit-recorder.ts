import type { AuditAction, AuditEvent } from '../../domain/audit/audit-event.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { AuditLog } from '../ports/audit-log.port.js';
import { uuidV7 } from '../security/uuid-v7.js';
import type { RequestMeta } from './request-meta.js';

/** What a use case knows about an event; the recorder adds id, time and request origin. */
export interface AuditEntry {
  action: AuditAction;
  outcome?: 'success' | 'failure';
  tenantId?: string | null;
  actorUserId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  metadata?: Record<string, string | number | boolean | null>;
}

/** Thin helper over the AuditLog port so use cases state only what happened. */
export class AuditRecorder {
  constructor(private readonly deps: { audit: AuditLog; clock: Clock }) {}

  record(entry: AuditEntry, meta: RequestMeta): Promise<void> {
    return this.deps.audit.record(this.event(entry, meta));
  }

  /** The event `record` would write, for a caller that writes it together with something else. */
  event(entry: AuditEntry, meta: RequestMeta): AuditEvent {
    return {
      id: uuidV7(),
      tenantId: entry.tenantId ?? null,
      actorUserId: entry.actorUserId ?? null,
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
      metadata: entry.metadata ?? {},
      occurredAt: this.deps.clock.now(),
    };
  }
}
