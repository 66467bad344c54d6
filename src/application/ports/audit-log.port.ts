import type { AuditAction, AuditEvent } from '../../domain/audit/audit-event.js';

/** Filter for reading one tenant's audit log. */
export interface AuditQuery {
  actorUserId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit: number;
}

/** Append-only log of security events. */
export interface AuditLog {
  /** Appends one event (inside the current unit of work when there is one). */
  record(event: AuditEvent): Promise<void>;
  /** One page of a tenant's events, newest first, and the cursor of the next page. */
  list(tenantId: string, query: AuditQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }>;
}
