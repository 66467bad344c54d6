import { DomainError } from '../../../domain/shared/domain-error.js';
import type { Tables } from './in-memory-store.js';

/**
 * The constraints the migrations declare, checked by hand with the error codes the MikroORM
 * adapter translates them to (see mikro-orm/constraint-errors.ts).
 */
export const constraints = {
  organizationExists(tables: Tables, id: string | null): void {
    if (id !== null && !tables.orgs.has(id)) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
  },
  userExists(tables: Tables, id: string | null): void {
    if (id !== null && !tables.users.has(id)) throw new DomainError('USER_NOT_FOUND', 'User not found');
  },
  membershipExists(tables: Tables, id: string | null): void {
    if (id !== null && !tables.memberships.has(id)) throw new DomainError('MEMBER_NOT_FOUND', 'Member not found');
  },
  sessionExists(tables: Tables, id: string): void {
    if (!tables.sessions.has(id)) throw new DomainError('SESSION_NOT_FOUND', 'Session not found');
  },
  /** A duplicate primary key or token hash: another writer created the same row first. */
  noDuplicate(duplicate: boolean): void {
    if (duplicate) throw new DomainError('CONCURRENT_MODIFICATION', 'The record was created concurrently; reload and retry');
  },
};
