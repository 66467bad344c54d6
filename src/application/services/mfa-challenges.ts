import { randomUUID } from 'node:crypto';
import {
  applyMfaChallengeEvent,
  hasSecondFactor,
  MFA_CHALLENGE_MAX_ATTEMPTS,
  MFA_CHALLENGE_TTL_SECONDS,
  type MfaChallenge,
  type MfaMethod,
} from '../../domain/credentials/mfa-challenge.js';
import type { OneTimeToken } from '../../domain/credentials/one-time-token.js';
import { addSeconds, type Clock } from '../../domain/shared/clock.js';
import { DomainError, isDomainError } from '../../domain/shared/domain-error.js';
import type { Organization } from '../../domain/tenancy/organization.js';
import type { User } from '../../domain/tenancy/user.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import type { RateLimiter } from '../ports/rate-limiter.port.js';
import type { SecondFactorAuthority } from '../ports/second-factor-authority.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { hashOpaqueToken, newOpaqueToken } from '../security/opaque-token.js';
import type { AuditRecorder } from './audit-recorder.js';
import { secondFactorGuard } from '../security/attempt-guard.js';
import type { MfaRequired } from './auth-outcome.js';
import type { RequestMeta } from './request-meta.js';

/**
 * The second-factor step of sign-in (docs/flows/mfa.md): decides whether a sign-in needs it,
 * issues the `mfaToken` (a one-time token of purpose `mfa_challenge`), and runs attempts
 * against it with the attempt limit and single use enforced in the store.
 */
export class MfaChallenges {
  constructor(
    private readonly deps: {
      oneTimeTokens: OneTimeTokenRepository;
      secondFactors: Pick<SecondFactorAuthority, 'mfaEnrolment'>;
      uow: UnitOfWork;
      limiter: RateLimiter;
      audit: AuditRecorder;
      clock: Clock;
    },
  ) {}

  /**
   * The challenge to answer instead of a session, in two steps: the reads now, and the step
   * that issues it; null when none is needed. A second factor is needed when the person has
   * TOTP enabled or the organization requires MFA, unless the factors used already include
   * one. A magic link (`email`) alone never counts as one.
   */
  async prepare(user: User, organization: Organization | null, amr: readonly string[], providerSession: string | null = null, succeeds: string | null = null): Promise<(() => Promise<MfaRequired>) | null> {
    if (hasSecondFactor(amr)) return null;
    const enrolment = await this.deps.secondFactors.mfaEnrolment(user.id, { tenantId: organization?.id ?? null, providerSession });
    if (!enrolment.totp && !organization?.policy.mfaRequired) return null;
    // Setting up a first authenticator app needs a sign-in proved by a credential. A switch is proved by an access
    // token only, which whoever captured it would otherwise turn into an app of their own on the account.
    if (!enrolment.totp && succeeds !== null) {
      throw new DomainError('MFA_REQUIRED', 'This organization requires two-step verification: sign in to it to set it up');
    }
    return async () => {
      const now = this.deps.clock.now();
      const secret = newOpaqueToken();
      await this.deps.oneTimeTokens.create({
        id: randomUUID(),
        purpose: 'mfa_challenge',
        tokenHash: secret.hash,
        userId: user.id,
        email: null,
        tenantId: organization?.id ?? null,
        payload: { amr: amr.join(' '), enrolment: !enrolment.totp, ...(providerSession ? { ps: providerSession } : {}), ...(succeeds ? { succeeds } : {}) },
        createdAt: now,
        expiresAt: addSeconds(now, MFA_CHALLENGE_TTL_SECONDS),
        consumedAt: null,
      });
      const methods: MfaMethod[] = !enrolment.totp ? [] : enrolment.recoveryCodesRemaining > 0 ? ['totp', 'recovery_code'] : ['totp'];
      return { status: 'mfa_required', mfaToken: secret.token, methods, expiresIn: MFA_CHALLENGE_TTL_SECONDS, enrolmentRequired: !enrolment.totp };
    };
  }

  /** A pending challenge, read without counting an attempt (TOTP setup during enrolment); MFA_CHALLENGE_INVALID otherwise. */
  async peek(mfaToken: string): Promise<MfaChallenge> {
    const token = await this.deps.oneTimeTokens.peek('mfa_challenge', hashOpaqueToken(mfaToken), this.deps.clock.now());
    if (!token?.userId) throw challengeInvalid();
    return toChallenge(token, 0);
  }

  /**
   * One attempt at a challenge. The attempt is counted first (atomically, in the store), then
   * `check` runs in a unit of work that also consumes the challenge, so a success burns it
   * exactly once and a failed consumption undoes what `check` did. MFA_CODE_INVALID from `check`
   * is recorded (`auth.mfa.failed`) and kills the challenge when it used the last attempt.
   * Attempts also count per account and network (`secondFactorGuard`): a fresh challenge costs only a
   * password, so the per-challenge limit alone would not stop guessing across sign-ins.
   * Returns the completed challenge (amr with the second factor) and what `check` returned.
   */
  async attempt<T>(mfaToken: string, method: MfaMethod, meta: RequestMeta, check: (challenge: MfaChallenge) => Promise<T>): Promise<{ challenge: MfaChallenge; result: T }> {
    const hash = hashOpaqueToken(mfaToken);
    const now = this.deps.clock.now();
    const counted = await this.deps.oneTimeTokens.countAttempt('mfa_challenge', hash, MFA_CHALLENGE_MAX_ATTEMPTS, now);
    if (!counted?.token.userId) throw challengeInvalid();
    // The challenge as it was before this attempt; the pure transitions say what each outcome does.
    const before = toChallenge(counted.token, counted.attempts - 1);
    await secondFactorGuard.admit(this.deps.limiter, before.userId, meta);
    try {
      const result = await this.deps.uow.run(async () => {
        const value = await check(before);
        // Burn it atomically: of two successful attempts, one signs in.
        if (!(await this.deps.oneTimeTokens.consume('mfa_challenge', hash, this.deps.clock.now()))) throw challengeInvalid();
        return value;
      });
      await secondFactorGuard.accepted(this.deps.limiter, before.userId, meta);
      return { challenge: applyMfaChallengeEvent(before, 'attempt_succeeded', now, method), result };
    } catch (error) {
      if (isDomainError(error, 'MFA_CODE_INVALID')) await this.failed(before, hash, method, now, meta);
      throw error;
    }
  }

  private async failed(before: MfaChallenge, hash: string, method: MfaMethod, now: Date, meta: RequestMeta): Promise<void> {
    const after = applyMfaChallengeEvent(before, 'attempt_failed', now);
    const exhausted = after.consumedAt !== null;
    if (exhausted) await this.deps.oneTimeTokens.consume('mfa_challenge', hash, now);
    await this.deps.audit.record(
      { action: 'auth.mfa.failed', outcome: 'failure', actorUserId: before.userId, tenantId: before.tenantId, metadata: { method, attempts: after.attempts, exhausted } },
      meta,
    );
  }
}

/** The challenge a stored `mfa_challenge` token describes. */
function toChallenge(token: OneTimeToken, attempts: number): MfaChallenge {
  return {
    userId: token.userId!,
    tenantId: token.tenantId,
    amr: String(token.payload['amr'] ?? '').split(' ').filter(Boolean),
    enrolmentRequired: token.payload['enrolment'] === true,
    providerSession: typeof token.payload['ps'] === 'string' ? token.payload['ps'] : null,
    succeeds: typeof token.payload['succeeds'] === 'string' ? token.payload['succeeds'] : null,
    attempts,
    expiresAt: token.expiresAt,
    consumedAt: token.consumedAt,
  };
}

function challengeInvalid(): DomainError {
  return new DomainError('MFA_CHALLENGE_INVALID', 'This sign-in has expired; start again');
}
