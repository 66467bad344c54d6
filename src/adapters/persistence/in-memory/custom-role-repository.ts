import type { CustomRoleRepository } from '../../../application/ports/custom-role-repository.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import type { OrganizationRole } from '../../../domain/tenancy/organization-role.js';
import { constraints } from './constraint-checks.js';
import { copyOf, type InMemoryStore } from './in-memory-store.js';
import { oldestFirst } from './oldest-first.js';
import { saveVersioned } from './versioned-table.js';

export class InMemoryCustomRoleRepository implements CustomRoleRepository {
  constructor(private readonly store: InMemoryStore) {}

  findByKey(tenantId: string, key: string): Promise<OrganizationRole | null> {
    return this.store.statement((t) => this.store.one([...t.customRoles.values()].find((r) => r.tenantId === tenantId && r.key === key)));
  }

  list(tenantId: string): Promise<OrganizationRole[]> {
    return this.store.statement((t) => this.store.many([...t.customRoles.values()].filter((r) => r.tenantId === tenantId).sort(oldestFirst)));
  }

  save(role: OrganizationRole): Promise<void> {
    return this.store.statement((t) =>
      saveVersioned(t.customRoles, role, this.store.persisted, {
        sameScope: (stored) => stored.tenantId === role.tenantId && stored.key === role.key,
        check: () => {
          constraints.organizationExists(t, role.tenantId);
          for (const other of t.customRoles.values()) {
            if (other.id !== role.id && other.tenantId === role.tenantId && other.key === role.key) {
              throw new DomainError('ACCESS_DUPLICATE_ROLE_KEY', 'A role with this key already exists');
            }
          }
        },
      }),
    );
  }

  delete(tenantId: string, key: string): Promise<boolean> {
    return this.store.statement((t) => {
      const role = [...t.customRoles.values()].find((r) => r.tenantId === tenantId && r.key === key);
      if (!role) return false;
      t.customRoles.delete(role.id);
      // The same statement unassigns the key, as the MikroORM adapter does in one transaction.
      for (const membership of t.memberships.values()) {
        if (membership.tenantId !== tenantId || !membership.customRoles.includes(key)) continue;
        const updated = copyOf(membership);
        updated.customRoles = membership.customRoles.filter((k) => k !== key);
        updated.version = membership.version + 1;
        t.memberships.set(membership.id, updated);
      }
      return true;
    });
  }
}
