import type { EntityLevel } from '../../domain/access/entity-level.js';
import type { MembershipStatus } from '../../domain/tenancy/membership.js';
import type { SystemRole } from '../../domain/tenancy/system-role.js';

/** One membership as access control sees it. `version` tells a cached view from a current one. */
export interface AccessSnapshotMember {
  membershipId: string;
  role: SystemRole;
  customRoles: string[];
  status: MembershipStatus;
  version: number;
}

/** Everything that decides access in one organization, read at one instant. */
export interface AccessSnapshot {
  members: AccessSnapshotMember[];
  customRoles: { key: string; name: string; permissions: string[] }[];
  grants: { entityId: string; membershipId: string; level: EntityLevel }[];
}

/**
 * Reads an organization's memberships, custom roles and grants as one consistent snapshot (a
 * single statement in PostgreSQL), so a view is never built from a half-applied change.
 */
export interface AccessSnapshotReader {
  /** The tenant's access data; empty lists for an unknown tenant. */
  read(tenantId: string): Promise<AccessSnapshot>;
}
