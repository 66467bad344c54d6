import type { User } from '../../domain/tenancy/user.js';

/** Persistence of users (global: one identity across tenants). */
export interface UserRepository {
  /** The user with this id, or null. */
  findById(id: string): Promise<User | null>;
  /** The user with this normalized email, or null. */
  findByEmail(email: string): Promise<User | null>;
  /** Users with these ids; unknown ids are skipped. */
  findManyByIds(ids: readonly string[]): Promise<User[]>;
  /** Inserts or updates; USER_ALREADY_EXISTS when the email is taken; CONCURRENT_MODIFICATION on a stale version. */
  save(user: User): Promise<void>;
}
