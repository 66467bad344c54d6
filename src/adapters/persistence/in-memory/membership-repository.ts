import type { MembershipRepository } from '../../../application/ports/membership-repository.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import type { Membership } from '../../../domain/tenancy/membership.js';
import { cascades } from './cascades.js';
import { constraints } from './constraint-checks.js';
import type { InMemoryStore } from './in-memory-store.js';
import { oldestFirst } from './oldest-first.js';
import { saveVersioned } from './versioned-table.js';

export class InMemoryMembershipRepository implements MembershipRepository {
  constructor(private readonly store: InMemoryStore) {}

  findById(tenantId: string, id: string): Promise<Membership | null> {
    return this.store.statement((t) => this.store.one([t.memberships.get(id)].find((m) => m?.tenantId === tenantId)));
  }

  findByUser(tenantId: string, userId: string): Promise<Membership | null> {
    return this.store.statement((t) => this.store.one([...t.memberships.values()].find((m) => m.tenantId === tenantId && m.userId === userId)));
  }

  listByTenant(tenantId: string): Promise<Membership[]> {
    return this.store.statement((t) => this.store.many([...t.memberships.values()].filter((m) => m.tenantId === tenantId).sort(oldestFirst)));
  }

  listByUser(userId: string): Promise<Membership[]> {
    return this.store.statement((t) => this.store.many([...t.memberships.values()].filter((m) => m.userId === userId).sort(oldestFirst)));
  }

  save(membership: Membership): Promise<void> {
    return this.store.statement((t) =>
      saveVersioned(t.memberships, membership, this.store.persisted, {
        sameScope: (stored) => stored.tenantId === membership.tenantId,
        check: () => {
          constraints.organizationExists(t, membership.tenantId);
          constraints.userExists(t, membership.userId);
          for (const other of t.memberships.values()) {
            if (other.id !== membership.id && other.tenantId === membership.tenantId && other.userId === membership.userId) {
              throw new DomainError('MEMBER_ALREADY_EXISTS', 'This person is already a member');
            }
          }
        },
      }),
    );
  }

  delete(tenantId: string, id: string): Promise<boolean> {
    return this.store.statement((t) => cascades.deleteMemberships(t, (m) => m.id === id && m.tenantId === tenantId) > 0);
  }
}
