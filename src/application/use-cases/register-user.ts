import { randomUUID } from 'node:crypto';
import { assertPasswordAcceptable } from '../../domain/credentials/password-policy.js';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import { User } from '../../domain/tenancy/user.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { PasswordBlocklist } from '../ports/password-blocklist.port.js';
import type { PasswordHasher } from '../ports/password-hasher.port.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { AuthSettings } from '../services/auth-settings.js';
import type { RequestMeta } from '../services/request-meta.js';
import { rateLimitKeys } from '../security/rate-limit-keys.js';
import { withinLimit } from '../security/within-limit.js';

/**
 * Creates an account. Enumeration-safe: a taken email gives the same answer and costs the same
 * password hash as a new one, and nothing about the existing account changes. Its owner is mailed a
 * sign-in link instead (`account_exists`), so whoever registered gets a mail either way; the owner of an
 * address someone else registered first takes the account with it (pre-hijacking, docs/flows/email-links.md).
 */
export class RegisterUser {
  constructor(
    private readonly deps: { users: UserRepository; hasher: PasswordHasher; uow: UnitOfWork; audit: AuditRecorder; clock: Clock; settings: AuthSettings; limiter: RateLimiter; identity: IdentityProvider; blocklist: PasswordBlocklist },
  ) {}

  async execute(input: { email: string; password: string; name?: string | undefined }, meta: RequestMeta): Promise<void> {
    // Stytch keeps no account outside an organization: sign-up there is the magic-link discovery flow.
    if (!this.deps.identity.supports('registration')) {
      throw new DomainError('IDENTITY_CAPABILITY_UNSUPPORTED', 'Sign up with an email link (POST /api/v1/auth/discovery/magic-link) with this identity provider');
    }
    assertPasswordAcceptable(input.password, this.deps.settings.passwordPolicy, (p) => this.deps.blocklist.isCommon(p));
    const email = normalizeEmail(input.email);
    // Counted per IP before the hash: sign-up floods cost the attacker, not our hashing workers.
    await this.deps.limiter.consume('register_ip', rateLimitKeys.ip(meta));
    // Hash before looking the email up so both branches do the same slow work.
    const passwordHash = await this.deps.hasher.hash(input.password);
    // Counted for every address, new or taken, so that only the mail differs: beyond the cap a taken
    // address is not mailed again, and nobody is refused.
    const mayMail = await withinLimit(this.deps.limiter, 'register_account', rateLimitKeys.account(email));
    try {
      await this.deps.uow.run(async () => {
        const existing = await this.deps.users.findByEmail(email);
        if (existing) {
          await this.deps.audit.record({ action: 'auth.register.address_taken', targetType: 'user', targetId: existing.id, metadata: { mailed: mayMail } }, meta);
          if (mayMail) await this.deps.identity.sendAccountExists(existing.id);
          return;
        }
        const user = User.create({ id: randomUUID(), email, name: input.name ?? null, passwordHash, now: this.deps.clock.now() });
        await this.deps.users.save(user);
        await this.deps.audit.record({ action: 'auth.register', actorUserId: user.id, targetType: 'user', targetId: user.id }, meta);
        // The verification link commits with the account, or neither exists.
        if (this.deps.identity.supports('email_verification')) await this.deps.identity.startEmailVerification(user.id);
      });
    } catch (error) {
      // A concurrent registration of the same email won the race: same answer as "taken".
      if (!isDomainError(error, 'USER_ALREADY_EXISTS')) throw error;
    }
  }
}
