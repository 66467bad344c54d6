import type { AccessSnapshot, AccessSnapshotMember, AccessSnapshotReader } from '../../../application/ports/access-snapshot-reader.port.js';
import { json, type RawRow } from './raw-row.js';
import type { TransactionScope } from './transaction-scope.js';

/**
 * Memberships, custom roles and grants of one tenant in ONE statement: under READ COMMITTED each
 * statement sees one snapshot, while three queries could straddle a commit (say, a role deleted
 * between reading the roles and reading the members still holding it).
 */
const SNAPSHOT_SQL = `select
  (select coalesce(json_agg(json_build_object('membershipId', id, 'role', role, 'customRoles', custom_roles, 'status', status, 'version', version)
     order by created_at, id), '[]'::json) from memberships where tenant_id = ?) as members,
  (select coalesce(json_agg(json_build_object('key', key, 'name', name, 'permissions', permissions)
     order by created_at, id), '[]'::json) from custom_roles where tenant_id = ?) as custom_roles,
  (select coalesce(json_agg(json_build_object('entityId', entity_id, 'membershipId', membership_id, 'level', level)
     order by created_at, id), '[]'::json) from entity_grants where tenant_id = ?) as grants`;

/** Reads an organization's access data for the access view cache. */
export class MikroOrmAccessSnapshotReader implements AccessSnapshotReader {
  constructor(private readonly scope: TransactionScope) {}

  async read(tenantId: string): Promise<AccessSnapshot> {
    const rows = await this.scope.em().execute<RawRow[]>(SNAPSHOT_SQL, [tenantId, tenantId, tenantId]);
    const row = rows[0] ?? {};
    return {
      members: json<AccessSnapshotMember[] | null>(row, 'members') ?? [],
      customRoles: json<AccessSnapshot['customRoles'] | null>(row, 'custom_roles') ?? [],
      grants: json<AccessSnapshot['grants'] | null>(row, 'grants') ?? [],
    };
  }
}
