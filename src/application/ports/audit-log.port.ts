import type { AuditAction, AuditEvent } from '../../domain/audit/audit-event.js';

/** Filter for reading one tenant's audit log. */
export interface AuditQuery {
  actorUserId?: string;
  action?: AuditAction;
  /** Events at or after this instant (inclusive). */
  from?: Date;
  /** Events before this instant (exclusive). */
  to?: Date;
  /** Opaque cursor from a previous page; VALIDATION_FAILED when it was not made by `list`. */
  cursor?: string;
  /** Page size; adapters cap it (500). */
  limit: number;
}

/** Append-only log of security events. */
export interface AuditLog {
  /** Appends one event (inside the current unit of work when there is one). */
  record(event: AuditEvent): Promise<void>;
  /** One page of a tenant's events, newest first, and the cursor of the next page. */
  list(tenantId: string, query: AuditQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }>;
}
