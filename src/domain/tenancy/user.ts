import { normalizeEmail } from './email.js';

/** Whether the account can sign in yet: invited users have no credential until activation. */
export type UserStatus = 'active' | 'invited' | 'disabled';

/** One person. A user has one identity and any number of memberships. */
export class User {
  id!: string;
  email!: string;
  name!: string | null;
  /** Versioned password hash string, or null for users without a password. */
  passwordHash!: string | null;
  emailVerifiedAt!: Date | null;
  status!: UserStatus;
  createdAt!: Date;
  updatedAt!: Date;
  version = 1;

  static create(input: { id: string; email: string; name?: string | null; passwordHash?: string | null; status?: UserStatus; now: Date }): User {
    const user = new User();
    user.id = input.id;
    user.email = normalizeEmail(input.email);
    user.name = input.name?.trim() || null;
    user.passwordHash = input.passwordHash ?? null;
    user.emailVerifiedAt = null;
    user.status = input.status ?? 'active';
    user.createdAt = input.now;
    user.updatedAt = input.now;
    return user;
  }

  rename(name: string | null, now: Date): void {
    this.name = name?.trim() || null;
    this.updatedAt = now;
  }

  setPasswordHash(hash: string, now: Date): void {
    this.passwordHash = hash;
    this.updatedAt = now;
  }

  get canSignIn(): boolean {
    return this.status === 'active';
  }
}
