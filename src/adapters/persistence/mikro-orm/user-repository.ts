import type { UserRepository } from '../../../application/ports/user-repository.port.js';
import { normalizeEmail } from '../../../domain/tenancy/email.js';
import type { User } from '../../../domain/tenancy/user.js';
import { UserSchema } from './schema/user.schema.js';
import type { TransactionScope } from './transaction-scope.js';
import { loaded, saveVersioned } from './versioned-save.js';

/** Users in PostgreSQL; the email column holds the normalized address and is unique. */
export class MikroOrmUserRepository implements UserRepository {
  constructor(private readonly scope: TransactionScope) {}

  async findById(id: string): Promise<User | null> {
    const user = await this.scope.em().findOne(UserSchema, { id }, { disableIdentityMap: true });
    return user ? loaded(user) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const user = await this.scope.em().findOne(UserSchema, { email: normalizeEmail(email) }, { disableIdentityMap: true });
    return user ? loaded(user) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const users = await this.scope.em().find(UserSchema, { id: { $in: [...ids] } }, { disableIdentityMap: true });
    return users.map(loaded);
  }

  save(user: User): Promise<void> {
    return saveVersioned(this.scope, UserSchema, user, {
      primaryKey: 'users_pkey',
      columns: {
        email: user.email,
        name: user.name,
        passwordHash: user.passwordHash,
        emailVerifiedAt: user.emailVerifiedAt,
        status: user.status,
        createdAt: user.createdAt,
        updatedAt: user.updatedAt,
      },
    });
  }
}
