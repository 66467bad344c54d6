import type { FilterQuery } from '@mikro-orm/core';
import type { AuditLog, AuditQuery } from '../../../application/ports/audit-log.port.js';
import type { AuditEvent } from '../../../domain/audit/audit-event.js';
import { translated } from './constraint-errors.js';
import { decodeAuditCursor, encodeAuditCursor } from '../../../application/ports/audit-cursor.js';
import { AuditEventSchema } from './schema/audit-event.schema.js';
import type { TransactionScope } from './transaction-scope.js';

/** Most events one page returns, whatever the caller asks. */
export const MAX_AUDIT_PAGE = 500;

type AuditRow = typeof AuditEventSchema extends { '~entity': infer E } ? E : never;

/** The audit log in PostgreSQL (`audit_events`), read by keyset pagination on (occurred_at, id). */
export class MikroOrmAuditLog implements AuditLog {
  constructor(private readonly scope: TransactionScope) {}

  async record(event: AuditEvent): Promise<void> {
    await translated(() => this.scope.write((em) => em.insert(AuditEventSchema, { ...event })));
  }

  async list(tenantId: string, query: AuditQuery): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
    const limit = Number.isFinite(query.limit) ? Math.max(1, Math.min(Math.trunc(query.limit), MAX_AUDIT_PAGE)) : MAX_AUDIT_PAGE;
    const where: FilterQuery<AuditRow>[] = [{ tenantId }];
    if (query.actorUserId !== undefined) where.push({ actorUserId: query.actorUserId });
    if (query.action !== undefined) where.push({ action: query.action });
    if (query.from !== undefined) where.push({ occurredAt: { $gte: query.from } });
    if (query.to !== undefined) where.push({ occurredAt: { $lt: query.to } });
    if (query.cursor !== undefined) {
      const after = decodeAuditCursor(query.cursor);
      where.push({ $or: [{ occurredAt: { $lt: after.occurredAt } }, { occurredAt: after.occurredAt, id: { $lt: after.id } }] });
    }
    const rows = await this.scope
      .em()
      .find(AuditEventSchema, { $and: where }, { disableIdentityMap: true, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }], limit: limit + 1 });
    const events = rows.slice(0, limit).map(
      (row): AuditEvent => ({
        id: row.id,
        tenantId: row.tenantId ?? null,
        actorUserId: row.actorUserId ?? null,
        action: row.action,
        outcome: row.outcome,
        targetType: row.targetType ?? null,
        targetId: row.targetId ?? null,
        ip: row.ip ?? null,
        userAgent: row.userAgent ?? null,
        metadata: row.metadata,
        occurredAt: row.occurredAt,
      }),
    );
    const last = events.at(-1);
    return { events, nextCursor: rows.length > limit && last ? encodeAuditCursor(last) : null };
  }
}
