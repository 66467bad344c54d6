import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { AuthOutcome } from '../services/auth-outcome.js';
import type { OrganizationEntry } from '../services/organization-entry.js';
import type { RequestMeta } from '../services/request-meta.js';

/**
 * Password sign-in. Unknown email, missing password, wrong password and a
 * disabled account all collapse to INVALID_CREDENTIALS after the same hashing work.
 */
export class LoginWithPassword {
  constructor(
    private readonly deps: { users: UserRepository; hasher: PasswordHasher; entry: OrganizationEntry; audit: AuditRecorder; clock: Clock },
  ) {}

  async execute(input: { email: string; password: string; organization?: string | undefined }, meta: RequestMeta): Promise<AuthOutcome> {
    const email = normalizeEmail(input.email);
    const user = await this.deps.users.findByEmail(email);
    let valid = false;
    if (user?.passwordHash) {
      const check = await this.deps.hasher.verify(input.password, user.passwordHash);
      valid = check.valid && user.canSignIn;
      if (valid && check.needsRehash) {
        user.setPasswordHash(await this.deps.hasher.hash(input.password), this.deps.clock.now());
        await this.deps.users.save(user).catch(() => undefined); // best effort: the next login retries
      }
    } else {
      await this.deps.hasher.verifyDummy(input.password);
    }
    if (!user || !valid) {
      await this.deps.audit.record({ action: 'auth.login.failed', outcome: 'failure', actorUserId: user?.id ?? null, metadata: { method: 'password' } }, meta);
      throw new DomainError('INVALID_CREDENTIALS', 'Email or password is incorrect');
    }
    try {
      const outcome = await this.deps.entry.enter(user, ['pwd'], input.organization, meta);
      const tenantId = outcome.status === 'authenticated' ? (outcome.organization?.id ?? null) : null;
      await this.deps.audit.record({ action: 'auth.login.succeeded', actorUserId: user.id, tenantId, metadata: { method: 'password', result: outcome.status } }, meta);
      return outcome;
    } catch (error) {
      if (error instanceof DomainError) {
        await this.deps.audit.record({ action: 'auth.login.failed', outcome: 'failure', actorUserId: user.id, metadata: { method: 'password', code: error.code } }, meta);
      }
      throw error;
    }
  }
}
