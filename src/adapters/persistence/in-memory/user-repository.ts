import type { UserRepository } from '../../../application/ports/user-repository.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { normalizeEmail } from '../../../domain/tenancy/email.js';
import type { User } from '../../../domain/tenancy/user.js';
import type { InMemoryStore } from './in-memory-store.js';
import { saveVersioned } from './versioned-table.js';

export class InMemoryUserRepository implements UserRepository {
  constructor(private readonly store: InMemoryStore) {}

  findById(id: string): Promise<User | null> {
    return this.store.statement((t) => this.store.one(t.users.get(id)));
  }

  findByEmail(email: string): Promise<User | null> {
    const normalized = normalizeEmail(email);
    return this.store.statement((t) => this.store.one([...t.users.values()].find((u) => u.email === normalized)));
  }

  findManyByIds(ids: readonly string[]): Promise<User[]> {
    return this.store.statement((t) => this.store.many([...new Set(ids)].flatMap((id) => t.users.get(id) ?? [])));
  }

  save(user: User): Promise<void> {
    return this.store.statement((t) =>
      saveVersioned(t.users, user, this.store.persisted, {
        check: () => {
          for (const other of t.users.values()) {
            if (other.id !== user.id && other.email === user.email) throw new DomainError('USER_ALREADY_EXISTS', 'An account with this email already exists');
          }
        },
      }),
    );
  }
}
