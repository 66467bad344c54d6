import type { AuditLog, AuditQuery } from '../../../application/ports/audit-log.port.js';
import type { AuditEvent } from '../../../domain/audit/audit-event.js';
import { constraints } from './constraint-checks.js';
import { decodeAuditCursor, encodeAuditCursor, type AuditPosition } from '../../../application/ports/audit-cursor.js';
import { copyOf, type InMemoryStore } from './in-memory-store.js';

/** Most events one page returns, whatever the caller asks (as in the MikroORM adapter). */
const MAX_AUDIT_PAGE = 500;

export class InMemoryAuditLog implements AuditLog {
  constructor(private readonly store: InMemoryStore) {}

  record(event: AuditEvent): Promise<void> {
    return this.store.statement((t) => {
      constraints.noDuplicate(t.audit.has(event.id));
      t.audit.set(event.id, copyOf(event));
    });
  }

  async list(tenantId: string, query: AuditQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
    const limit = Number.isFinite(query.limit) ? Math.max(1, Math.min(Math.trunc(query.limit), MAX_AUDIT_PAGE)) : MAX_AUDIT_PAGE;
    const after = query.cursor !== undefined ? decodeAuditCursor(query.cursor) : null;
    return this.store.statement((t) => {
      const matching = [...t.audit.values()]
        .filter(
          (e) =>
            e.tenantId === tenantId &&
            (query.actorUserId === undefined || e.actorUserId === query.actorUserId) &&
            (query.action === undefined || e.action === query.action) &&
            (query.from === undefined || e.occurredAt >= query.from) &&
            (query.to === undefined || e.occurredAt < query.to) &&
            (after === null || newestFirst(e, after) > 0),
        )
        .sort(newestFirst);
      const events = matching.slice(0, limit).map(copyOf);
      const last = events.at(-1);
      return { events, nextCursor: matching.length > limit && last ? encodeAuditCursor(last) : null };
    });
  }
}

/** Newest first; ties broken by id, descending and bytewise (the column's "C" collation). */
function newestFirst(a: AuditPosition, b: AuditPosition): number {
  return b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
