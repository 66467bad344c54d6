import { DomainError } from '../../domain/shared/domain-error.js';
import { secondFactorScopeOf } from '../services/second-factor-scope.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { User } from '../../domain/tenancy/user.js';
import type { SecondFactorAuthority, TotpSetup } from '../ports/second-factor-authority.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuthOutcome } from '../services/auth-outcome.js';
import type { MfaChallenges } from '../services/mfa-challenges.js';
import type { MfaChangeNotice } from '../services/mfa-change-notice.js';
import type { OrganizationEntry } from '../services/organization-entry.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/**
 * Setting up an authenticator app: setup (a new pending secret), then enable with a code from
 * the app (10 recovery codes, shown once). Either signed in (Bearer), or in the middle of a
 * sign-in to an organization that requires MFA (the `mfaToken` of an enrolment challenge); then
 * a successful enable also completes that sign-in. Enabling keeps the caller's session.
 */
export class EnrolTotp {
  constructor(
    private readonly deps: {
      users: UserRepository;
      secondFactors: Pick<SecondFactorAuthority, 'beginTotpEnrolment' | 'confirmTotpEnrolment'>;
      challenges: MfaChallenges;
      entry: OrganizationEntry;
      notice: MfaChangeNotice;
      uow: UnitOfWork;
      sessions: Pick<SessionRepository, 'findById'>;
    },
  ) {}

  /** Starts (or restarts) enrolment for the signed-in caller; MFA_ALREADY_ENABLED when an app is active. */
  async setup(principal: Principal): Promise<TotpSetup> {
    const user = await this.requireUser(principal.userId);
    return this.deps.secondFactors.beginTotpEnrolment(user.id, user.email, await secondFactorScopeOf(principal, this.deps.sessions));
  }

  /** Starts enrolment with the mfaToken of an enrolment challenge (read, not spent). */
  async setupWithChallenge(mfaToken: string): Promise<TotpSetup> {
    const challenge = await this.deps.challenges.peek(mfaToken);
    // Only a challenge that asked for enrolment: a person with a factor answers with it instead.
    if (!challenge.enrolmentRequired) throw new DomainError('MFA_CHALLENGE_INVALID', 'This sign-in has expired; start again');
    const user = await this.requireUser(challenge.userId, 'MFA_CHALLENGE_INVALID');
    return this.deps.secondFactors.beginTotpEnrolment(user.id, user.email, { tenantId: challenge.tenantId, providerSession: challenge.providerSession });
  }

  /** Confirms the pending secret with a code; MFA_CODE_INVALID otherwise. */
  async enable(principal: Principal, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
    const user = await this.requireUser(principal.userId);
    const scope = await secondFactorScopeOf(principal, this.deps.sessions);
    return this.deps.uow.run(async () => {
      const enabled = await this.deps.secondFactors.confirmTotpEnrolment(user.id, code, scope);
      await this.deps.notice.record(user, 'enabled', { tenantId: principal.tenantId }, meta);
      return enabled;
    });
  }

  /**
   * Confirms the pending secret with the enrolment challenge's mfaToken and completes the sign-in
   * it belongs to. A wrong code counts against the challenge like any other attempt.
   */
  async enableWithChallenge(mfaToken: string, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[]; outcome: AuthOutcome }> {
    const { challenge, result } = await this.deps.challenges.attempt(mfaToken, 'totp', meta, async (pending) => {
      if (!pending.enrolmentRequired) throw new DomainError('MFA_CHALLENGE_INVALID', 'This sign-in has expired; start again');
      const user = await this.requireUser(pending.userId, 'MFA_CHALLENGE_INVALID');
      const enabled = await this.deps.secondFactors.confirmTotpEnrolment(user.id, code, { tenantId: pending.tenantId, providerSession: pending.providerSession });
      await this.deps.notice.record(user, 'enabled', { tenantId: pending.tenantId, metadata: { during: 'sign_in' } }, meta);
      return { user, recoveryCodes: enabled.recoveryCodes, providerSession: enabled.providerSession ?? pending.providerSession };
    });
    const outcome = await this.deps.entry.continueAfterMfa(result.user, { ...challenge, providerSession: result.providerSession }, meta);
    return { recoveryCodes: result.recoveryCodes, outcome };
  }

  private async requireUser(userId: string, code: 'AUTH_SESSION_REVOKED' | 'MFA_CHALLENGE_INVALID' = 'AUTH_SESSION_REVOKED'): Promise<User> {
    const user = await this.deps.users.findById(userId);
    if (!user?.canSignIn) throw new DomainError(code, code === 'AUTH_SESSION_REVOKED' ? 'This session has ended; sign in again' : 'This sign-in has expired; start again');
    return user;
  }
}
