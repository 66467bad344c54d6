import type { Session } from '../../../domain/credentials/session.js';
import type { Entity } from '../../../domain/tenancy/entity.js';
import type { Membership } from '../../../domain/tenancy/membership.js';
import { copyOf, type Tables } from './in-memory-store.js';

/** What the foreign keys' ON DELETE clauses do, by hand. Returns how many rows were removed. */
export const cascades = {
  /** Sessions go with their refresh tokens (ON DELETE CASCADE). */
  deleteSessions(tables: Tables, match: (session: Session) => boolean): number {
    const ids = new Set([...tables.sessions.values()].filter(match).map((s) => s.id));
    for (const id of ids) tables.sessions.delete(id);
    for (const [hash, token] of tables.refreshTokens) if (ids.has(token.sessionId)) tables.refreshTokens.delete(hash);
    return ids.size;
  },

  /** A removed membership leaves its sessions in place, unlinked (ON DELETE SET NULL). */
  deleteMemberships(tables: Tables, match: (membership: Membership) => boolean): number {
    const ids = new Set([...tables.memberships.values()].filter(match).map((m) => m.id));
    for (const id of ids) tables.memberships.delete(id);
    // entity_grants.membership fkey: ON DELETE CASCADE.
    for (const [grantId, grant] of tables.entityGrants) if (ids.has(grant.membershipId)) tables.entityGrants.delete(grantId);
    for (const session of tables.sessions.values()) {
      if (session.membershipId !== null && ids.has(session.membershipId)) {
        const unlinked = copyOf(session);
        unlinked.membershipId = null;
        tables.sessions.set(session.id, unlinked);
      }
    }
    return ids.size;
  },

  /** Entities go with their grants (entity_grants.entity fkey: ON DELETE CASCADE). */
  deleteEntities(tables: Tables, match: (entity: Entity) => boolean): number {
    const ids = new Set([...tables.entities.values()].filter(match).map((e) => e.id));
    for (const id of ids) tables.entities.delete(id);
    for (const [grantId, grant] of tables.entityGrants) if (ids.has(grant.entityId)) tables.entityGrants.delete(grantId);
    return ids.size;
  },

  /** Everything the organization owns goes; audit events stay (no foreign key). */
  deleteOrganization(tables: Tables, id: string): void {
    if (!tables.orgs.delete(id)) return;
    cascades.deleteSessions(tables, (s) => s.tenantId === id);
    cascades.deleteMemberships(tables, (m) => m.tenantId === id);
    cascades.deleteEntities(tables, (e) => e.tenantId === id);
    for (const [roleId, role] of tables.customRoles) if (role.tenantId === id) tables.customRoles.delete(roleId);
    for (const [tokenId, token] of tables.oneTimeTokens) if (token.tenantId === id) tables.oneTimeTokens.delete(tokenId);
    tables.onboarding.delete(id);
    // identity_links.tenant_id fkey: ON DELETE CASCADE.
    for (const [key, record] of tables.identityLinks) if (record.link.tenantId === id) tables.identityLinks.delete(key);
  },
};
