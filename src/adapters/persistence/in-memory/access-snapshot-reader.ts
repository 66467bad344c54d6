import type { AccessSnapshot, AccessSnapshotReader } from '../../../application/ports/access-snapshot-reader.port.js';
import type { InMemoryStore } from './in-memory-store.js';
import { oldestFirst } from './oldest-first.js';

/** One statement over the tables: as consistent as PostgreSQL's single-statement read. */
export class InMemoryAccessSnapshotReader implements AccessSnapshotReader {
  constructor(private readonly store: InMemoryStore) {}

  read(tenantId: string): Promise<AccessSnapshot> {
    return this.store.statement((t) => ({
      members: [...t.memberships.values()]
        .filter((m) => m.tenantId === tenantId)
        .sort(oldestFirst)
        .map((m) => ({ membershipId: m.id, role: m.role, customRoles: [...m.customRoles], status: m.status, version: m.version })),
      customRoles: [...t.customRoles.values()]
        .filter((r) => r.tenantId === tenantId)
        .sort(oldestFirst)
        .map((r) => ({ key: r.key, name: r.name, permissions: [...r.permissions] })),
      grants: [...t.entityGrants.values()]
        .filter((g) => g.tenantId === tenantId)
        .sort(oldestFirst)
        .map((g) => ({ entityId: g.entityId, membershipId: g.membershipId, level: g.level })),
    }));
  }
}
