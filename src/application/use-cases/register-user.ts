import { randomUUID } from 'node:crypto';
import { assertPasswordAcceptable } from '../../domain/credentials/password-policy.js';
import type { Clock } from '../../domain/shared/clock.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import { User } from '../../domain/tenancy/user.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { AuthSettings } from '../services/auth-settings.js';
import type { RequestMeta } from '../services/request-meta.js';

/**
 * Creates an account. Enumeration-safe: a taken email gives the same answer and
 * costs the same password hash as a new one, and nothing about the existing account changes.
 */
export class RegisterUser {
  constructor(
    private readonly deps: { users: UserRepository; hasher: PasswordHasher; uow: UnitOfWork; audit: AuditRecorder; clock: Clock; settings: AuthSettings },
  ) {}

  async execute(input: { email: string; password: string; name?: string | undefined }, meta: RequestMeta): Promise<void> {
    assertPasswordAcceptable(input.password, this.deps.settings.passwordPolicy);
    const email = normalizeEmail(input.email);
    // Hash before looking the email up so both branches do the same slow work.
    const passwordHash = await this.deps.hasher.hash(input.password);
    try {
      await this.deps.uow.run(async () => {
        if (await this.deps.users.findByEmail(email)) return;
        const user = User.create({ id: randomUUID(), email, name: input.name ?? null, passwordHash, now: this.deps.clock.now() });
        await this.deps.users.save(user);
        await this.deps.audit.record({ action: 'auth.register', actorUserId: user.id, targetType: 'user', targetId: user.id }, meta);
      });
    } catch (error) {
      // A concurrent registration of the same email won the race: same answer as "taken".
      if (!isDomainError(error, 'USER_ALREADY_EXISTS')) throw error;
    }
  }
}
