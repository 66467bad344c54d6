import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { IdentityCapability, IdentityProvider, ActivationPreview } from '../ports/identity-provider.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import { rateLimitKeys } from '../security/rate-limit-keys.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import { endEverySignIn } from '../services/pending-sign-ins.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { AuthOutcome } from '../services/auth-outcome.js';
import type { OnboardingTracker } from '../services/onboarding-tracker.js';
import type { OrganizationEntry } from '../services/organization-entry.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/**
 * Email verification, activation and password reset/change: the flows that run
 * through a single-use link or a re-check of the password. Answers that take an
 * email are the same whether an account exists (the provider sees to the timing).
 */
export class EmailLinkFlows {
  constructor(
    private readonly deps: {
      identity: IdentityProvider;
      users: UserRepository;
      sessions: SessionRepository;
      entry: OrganizationEntry;
      bus: InvalidationBus;
      audit: AuditRecorder;
      limiter: RateLimiter;
      oneTimeTokens: Pick<OneTimeTokenRepository, 'consumeAllForUser'>;
      clock: Clock;
      /** Completes the `profile` onboarding step when an activation sets the name (optional). */
      onboarding?: OnboardingTracker;
    },
  ) {}

  async verifyEmail(token: string, meta: RequestMeta): Promise<AuthOutcome> {
    this.require('email_verification');
    const identity = await this.deps.identity.completeEmailVerification(token);
    const user = await this.signInUser(identity.userId);
    await this.deps.audit.record({ action: 'auth.email_verified', actorUserId: user.id, targetType: 'user', targetId: user.id }, meta);
    return this.deps.entry.enter(user, identity.amr, undefined, meta, identity.providerSession);
  }

  previewActivation(token: string): Promise<ActivationPreview> {
    this.require('activation');
    return this.deps.identity.previewActivation(token);
  }

  /** Sets password and name from an activation link and signs in (to the organization that invited, if any). */
  async activate(input: { token: string; password: string; name: string }, meta: RequestMeta): Promise<AuthOutcome> {
    this.require('activation');
    const identity = await this.deps.identity.completeActivation(input.token, input.password, input.name);
    const user = await this.signInUser(identity.userId);
    await this.deps.onboarding?.stepDone(identity.tenantId, 'profile');
    await this.deps.bus.publish({ topic: 'user', id: user.id });
    await this.deps.audit.record({ action: 'auth.activated', actorUserId: user.id, tenantId: identity.tenantId, targetType: 'user', targetId: user.id }, meta);
    return this.deps.entry.enter(user, identity.amr, identity.tenantId ?? undefined, meta, identity.providerSession);
  }

  async resendActivation(email: string, meta: RequestMeta): Promise<void> {
    this.require('activation');
    // Counted per IP and per address (known or not) before any work, so mail cannot be used to flood a mailbox.
    await this.deps.limiter.consume('activation_resend_ip', rateLimitKeys.ip(meta));
    await this.deps.limiter.consume('activation_resend_account', rateLimitKeys.account(email));
    await this.deps.identity.resendActivation(email);
  }

  async forgotPassword(email: string, meta: RequestMeta): Promise<void> {
    this.require('password_reset');
    await this.deps.limiter.consume('password_reset_ip', rateLimitKeys.ip(meta));
    await this.deps.limiter.consume('password_reset_account', rateLimitKeys.account(email));
    await this.deps.identity.startPasswordReset(email);
  }

  /**
   * Sets a new password from a reset link and ends every session of the account.
   * It does not sign in: the person signs in again, through MFA if they have it,
   * so a stolen mailbox alone cannot get past a second factor.
   */
  async resetPassword(input: { token: string; password: string }, meta: RequestMeta): Promise<void> {
    this.require('password_reset');
    const { userId } = await this.deps.identity.completePasswordReset(input.token, input.password);
    await this.endSessions(userId, 'password_changed');
    // The owner proved control of the mailbox: lift this IP's sign-in lockout for them.
    const user = await this.deps.users.findById(userId);
    if (user) await this.deps.limiter.reset('login_account_ip', rateLimitKeys.accountIp(user.email, meta));
    await this.deps.audit.record({ action: 'auth.password_reset', actorUserId: userId, targetType: 'user', targetId: userId }, meta);
  }

  /** Changes the caller's password after checking the current one; other sessions end, this one stays. */
  async changePassword(principal: Principal, input: { currentPassword: string; newPassword: string }, meta: RequestMeta): Promise<void> {
    this.require('password');
    await this.deps.limiter.consume('password_change_account', principal.userId);
    if (!(await this.deps.identity.checkPassword(principal.userId, input.currentPassword))) {
      throw new DomainError('INVALID_CREDENTIALS', 'The current password is incorrect');
    }
    await this.deps.limiter.reset('password_change_account', principal.userId);
    await this.deps.identity.setPassword(principal.userId, input.newPassword);
    await this.endSessions(principal.userId, 'password_changed', principal.sessionId);
    await this.deps.audit.record({ action: 'auth.password_changed', actorUserId: principal.userId, targetType: 'user', targetId: principal.userId }, meta);
  }

  private async endSessions(userId: string, reason: 'password_changed', except?: string): Promise<void> {
    const ids = await endEverySignIn(this.deps, userId, this.deps.clock.now(), reason, except);
    await Promise.all(ids.map((id) => this.deps.bus.publish({ topic: 'session', id })));
  }

  private async signInUser(userId: string) {
    const user = await this.deps.users.findById(userId);
    if (!user?.canSignIn) throw new DomainError('INVALID_CREDENTIALS', 'This account cannot sign in');
    return user;
  }

  private require(capability: IdentityCapability): void {
    if (!this.deps.identity.supports(capability)) {
      throw new DomainError('IDENTITY_CAPABILITY_UNSUPPORTED', `The configured identity provider (${this.deps.identity.name}) does not support ${capability}`);
    }
  }
}
