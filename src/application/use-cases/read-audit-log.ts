import type { AuditEvent } from '../../domain/audit/audit-event.js';
import type { AuditLog, AuditQuery } from '../ports/audit-log.port.js';
import type { OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** Admins page through their organization's audit log. */
export class ReadAuditLog {
  constructor(private readonly deps: { audit: AuditLog; context: OrgContext }) {}

  async execute(principal: Principal, orgRef: string, query: AuditQuery, meta: RequestMeta): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
    const { org } = await this.deps.context.require(principal, orgRef, 'audit:read', meta);
    return this.deps.audit.list(org.id, query);
  }
}
