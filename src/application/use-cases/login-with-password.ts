import type { Session } from '../../domain/credentials/session.js';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import { normalizeEmail } from '../../domain/tenancy/email.js';
import type { IdentityProvider, VerifiedIdentity } from '../ports/identity-provider.port.js';
import type { Mailer } from '../ports/mailer.port.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { AuthOutcome } from '../services/auth-outcome.js';
import type { OrganizationEntry } from '../services/organization-entry.js';
import type { RequestMeta } from '../services/request-meta.js';
import { passwordGuard } from '../security/attempt-guard.js';
import { rateLimitKeys } from '../security/rate-limit-keys.js';

/**
 * Password sign-in through the configured identity provider. Unknown email, missing
 * password, wrong password and a disabled account all collapse to INVALID_CREDENTIALS
 * after the same hashing work (the provider's contract).
 * Every attempt is counted before any hashing (ADR 0004); limits are keyed by the
 * normalized email, so an unknown email is limited exactly like a known one.
 */
export class LoginWithPassword {
  constructor(
    private readonly deps: {
      users: UserRepository;
      sessions: SessionRepository;
      identity: IdentityProvider;
      entry: OrganizationEntry;
      mailer: Mailer;
      audit: AuditRecorder;
      clock: Clock;
      limiter: RateLimiter;
    },
  ) {}

  async execute(input: { email: string; password: string; organization?: string | undefined }, meta: RequestMeta): Promise<AuthOutcome> {
    const email = normalizeEmail(input.email);
    await this.admit(email, meta);
    // The check starts first, on the one read of the account, so the hash starts as early as it can.
    // While Gatehouse hashes the password, everything signing in reads is read: after the hash only
    // one write remains (the session with its audit event). A remote provider is asked nothing before the check.
    const known = this.deps.users.findByEmail(email);
    const verification = this.deps.identity.verifyPassword(email, input.password, known);
    const liveBefore = known.then((u) => (u ? this.deps.sessions.listActiveByUser(u.id, this.deps.clock.now()) : []));
    const planned = this.deps.identity.supports('local_password_check')
      ? known.then((u) => (u ? { user: u, step: this.deps.entry.plan(u, ['pwd'], input.organization, meta) } : null))
      : Promise.resolve(null);
    // A read made ahead that fails surfaces only where it is awaited, after the password check. Until then
    // it must not count as unhandled: Node would end the process, and every request in flight with it.
    for (const ahead of [liveBefore, planned]) ahead.catch(() => undefined);
    // Where a refused attempt is recorded: the organization it named, if the person is a member there.
    const { organization } = input;
    const attempted = organization === undefined ? Promise.resolve(null) : known.then((u) => (u ? this.deps.entry.memberTenant(u, organization) : null)).catch(() => null);
    let identity: VerifiedIdentity;
    try {
      identity = await verification;
    } catch (error) {
      const user = await known;
      await Promise.allSettled([liveBefore, planned]);
      if (isDomainError(error, 'INVALID_CREDENTIALS')) {
        await this.deps.audit.record({ action: 'auth.login.failed', outcome: 'failure', tenantId: await attempted, actorUserId: user?.id ?? null, metadata: { method: 'password' } }, meta);
      }
      throw error;
    }
    // A provider that mirrors people just in time (Stytch) may have created the user during the check.
    const user = (await known) ?? (await this.deps.users.findById(identity.userId));
    if (!user || user.id !== identity.userId) throw new DomainError('INVALID_CREDENTIALS', 'Email or password is incorrect');
    try {
      const plan = await planned;
      // The plan holds when the check answered what it was made for: this user, the password alone.
      const step = plan?.user.id === user.id && passwordOnly(identity) ? await plan.step : await this.deps.entry.plan(user, identity.amr, input.organization, meta, identity.providerSession);
      // Every read is in before the first write, so a failed one ends the sign-in with nothing written.
      const live = await liveBefore;
      // The step records the sign-in: with a session, in the same write, so it cannot be half-applied.
      const [outcome] = await Promise.all([step({ action: 'auth.login.succeeded', actorUserId: user.id, metadata: { method: 'password' } }), this.credentialsAccepted(email, meta)]);
      await this.noticeNewDevice(user.email, meta, live);
      return outcome;
    } catch (error) {
      if (error instanceof DomainError) {
        await this.deps.audit.record({ action: 'auth.login.failed', outcome: 'failure', tenantId: await attempted, actorUserId: user.id, metadata: { method: 'password', code: error.code } }, meta);
      }
      throw error;
    }
  }

  /**
   * Counts this attempt before any hashing: per client IP, per account, and per account + IP
   * (the progressive lockout). Throws RATE_LIMITED when one of them refuses.
   */
  private async admit(email: string, meta: RequestMeta): Promise<void> {
    await this.deps.limiter.consume('login_ip', rateLimitKeys.ip(meta));
    // Over the account-wide cap only IPs this account has signed in from get through: a spray
    // from many IPs slows the attacker down without locking the owner out.
    await passwordGuard.admit(this.deps.limiter, email, rateLimitKeys.accountIp(email, meta));
  }

  /** The password was right: end this IP's lockout, uncount the attempt, remember the IP for this account. */
  private async credentialsAccepted(email: string, meta: RequestMeta): Promise<void> {
    await passwordGuard.accepted(this.deps.limiter, email, rateLimitKeys.accountIp(email, meta));
  }

  /** Mails the owner when a sign-in comes from an address none of their live sessions used. */
  private async noticeNewDevice(email: string, meta: RequestMeta, liveBefore: readonly Session[]): Promise<void> {
    if (liveBefore.some((s) => s.ip === meta.ip)) return;
    await this.deps.mailer.enqueue({
      to: email,
      template: 'new_sign_in',
      data: { occurredAt: this.deps.clock.now().toISOString(), ip: meta.ip ?? 'unknown', ...(meta.userAgent ? { userAgent: meta.userAgent.slice(0, 200) } : {}) },
    });
  }
}

function passwordOnly(identity: VerifiedIdentity): boolean {
  return identity.amr.length === 1 && identity.amr[0] === 'pwd' && identity.providerSession === null;
}
