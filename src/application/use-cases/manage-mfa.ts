import type { Clock } from '../../domain/shared/clock.js';
import { secondFactorScopeOf } from '../services/second-factor-scope.js';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import type { User } from '../../domain/tenancy/user.js';
import type { IdentityProvider } from '../ports/identity-provider.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import { secondFactorGuard } from '../security/attempt-guard.js';
import type { SecondFactorAuthority } from '../ports/second-factor-authority.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import { endEverySignIn } from '../services/pending-sign-ins.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { MfaChangeNotice } from '../services/mfa-change-notice.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** Proof, at the moment of a sensitive change, that the caller is the account holder. */
export type Reauthentication = { password: string } | { code: string };

/** The caller's second factors and the current organization's policy. */
export interface MfaStatus {
  totp: { enabled: boolean };
  recoveryCodes: { remaining: number };
  /** The organization of the caller's session, if any, and whether it requires MFA. */
  organization: { id: string; slug: string; mfaRequired: boolean } | null;
}

/**
 * Reading, turning off and re-issuing second factors. Turning TOTP off and regenerating
 * recovery codes require re-authentication (current password or a fresh TOTP code): a stolen
 * session alone must not weaken the account. Turning TOTP off also ends the user's other
 * sessions, which may have been opened by whoever learnt the password.
 */
export class ManageMfa {
  constructor(
    private readonly deps: {
      users: UserRepository;
      orgs: OrganizationRepository;
      identity: Pick<IdentityProvider, 'checkPassword'> & Pick<SecondFactorAuthority, 'mfaEnrolment' | 'verifyTotp' | 'disableTotp' | 'regenerateRecoveryCodes'>;
      sessions: SessionRepository;
      oneTimeTokens: Pick<OneTimeTokenRepository, 'consumeAllForUser'>;
      notice: MfaChangeNotice;
      uow: UnitOfWork;
      bus: InvalidationBus;
      limiter: RateLimiter;
      audit: AuditRecorder;
      clock: Clock;
    },
  ) {}

  async status(principal: Principal): Promise<MfaStatus> {
    const enrolment = await this.deps.identity.mfaEnrolment(principal.userId, await secondFactorScopeOf(principal, this.deps.sessions));
    const org = principal.tenantId ? await this.deps.orgs.findById(principal.tenantId) : null;
    return {
      totp: { enabled: enrolment.totp },
      recoveryCodes: { remaining: enrolment.recoveryCodesRemaining },
      organization: org ? { id: org.id, slug: org.slug, mfaRequired: org.policy.mfaRequired } : null,
    };
  }

  /** Removes TOTP and recovery codes; returns how many other sessions ended. */
  async disable(principal: Principal, proof: Reauthentication, meta: RequestMeta): Promise<{ revokedSessions: number }> {
    const user = await this.requireEnabled(principal);
    await this.reauthenticate(user, proof, principal, meta);
    const revoked = await this.deps.uow.run(async () => {
      await this.deps.identity.disableTotp(user.id, await secondFactorScopeOf(principal, this.deps.sessions));
      // This session stays: the caller just proved who they are.
      const ids = await endEverySignIn(this.deps, user.id, this.deps.clock.now(), 'mfa_disabled', principal.sessionId);
      await this.deps.notice.record(user, 'disabled', { tenantId: principal.tenantId, metadata: { proof: proofKind(proof), sessionsRevoked: ids.length } }, meta);
      return ids;
    });
    await Promise.all(revoked.map((id) => this.deps.bus.publish({ topic: 'session', id })));
    return { revokedSessions: revoked.length };
  }

  /** Replaces every recovery code; the new ones are shown once. */
  async regenerateRecoveryCodes(principal: Principal, proof: Reauthentication, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
    const user = await this.requireEnabled(principal);
    await this.reauthenticate(user, proof, principal, meta);
    return this.deps.uow.run(async () => {
      const recoveryCodes = await this.deps.identity.regenerateRecoveryCodes(user.id, await secondFactorScopeOf(principal, this.deps.sessions));
      await this.deps.notice.record(user, 'recovery_codes_regenerated', { tenantId: principal.tenantId, metadata: { proof: proofKind(proof) } }, meta);
      return { recoveryCodes };
    });
  }

  private async requireEnabled(principal: Principal): Promise<User> {
    const user = await this.deps.users.findById(principal.userId);
    if (!user?.canSignIn) throw new DomainError('AUTH_SESSION_REVOKED', 'This session has ended; sign in again');
    if (!(await this.deps.identity.mfaEnrolment(user.id, await secondFactorScopeOf(principal, this.deps.sessions))).totp) throw new DomainError('MFA_NOT_ENABLED', 'No authenticator app is enabled');
    return user;
  }

  /**
   * REAUTHENTICATION_FAILED unless the password is the current one or the TOTP code is valid (and
   * unused). Counted like sign-in codes (`secondFactorGuard`): a stolen session must not be a
   * way to guess codes or passwords without limit.
   */
  private async reauthenticate(user: User, proof: Reauthentication, principal: Principal, meta: RequestMeta): Promise<void> {
    await secondFactorGuard.admit(this.deps.limiter, user.id, meta);
    const valid =
      'password' in proof
        ? await this.deps.identity.checkPassword(user.id, proof.password)
        : await this.deps.identity.verifyTotp(user.id, proof.code, await secondFactorScopeOf(principal, this.deps.sessions)).then(
            () => true,
            (error: unknown) => {
              if (isDomainError(error, 'MFA_CODE_INVALID')) return false;
              throw error;
            },
          );
    // A right password proves no second factor: the network is not remembered as one that passed it.
    if (valid) return secondFactorGuard.accepted(this.deps.limiter, user.id, meta, !('password' in proof));
    await this.deps.audit.record(
      { action: 'auth.mfa.failed', outcome: 'failure', actorUserId: user.id, tenantId: principal.tenantId, metadata: { step: 'reauthentication', method: proofKind(proof) } },
      meta,
    );
    throw new DomainError('REAUTHENTICATION_FAILED', 'Confirm with your current password or a code from your authenticator app');
  }
}

function proofKind(proof: Reauthentication): 'password' | 'totp' {
  return 'password' in proof ? 'password' : 'totp';
}
