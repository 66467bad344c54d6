import type { MfaMethod } from '../../domain/credentials/mfa-challenge.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { SecondFactorAuthority } from '../ports/second-factor-authority.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import type { AuthOutcome } from '../services/auth-outcome.js';
import type { MfaChallenges } from '../services/mfa-challenges.js';
import type { MfaChangeNotice } from '../services/mfa-change-notice.js';
import type { OrganizationEntry } from '../services/organization-entry.js';
import type { RequestMeta } from '../services/request-meta.js';

/** What answers a challenge: a TOTP code or a recovery code. */
export type MfaAnswer = { code: string } | { recoveryCode: string };

/**
 * The second step of sign-in: an `mfaToken` and a TOTP code (accepted once) or a recovery code
 * (spent once) give the authentication outcome, with `otp`/`mfa` added to the factors used.
 * Wrong codes count against the challenge: five, and it is dead. Using a recovery code mails
 * the person, so a stolen code does not go unnoticed.
 */
export class VerifyMfa {
  constructor(
    private readonly deps: {
      users: UserRepository;
      secondFactors: Pick<SecondFactorAuthority, 'verifyTotp' | 'verifyRecoveryCode'>;
      challenges: MfaChallenges;
      entry: OrganizationEntry;
      notice: MfaChangeNotice;
    },
  ) {}

  async execute(mfaToken: string, answer: MfaAnswer, meta: RequestMeta): Promise<AuthOutcome> {
    const method: MfaMethod = 'code' in answer ? 'totp' : 'recovery_code';
    const { challenge, result } = await this.deps.challenges.attempt(mfaToken, method, meta, async (pending) => {
      const found = await this.deps.users.findById(pending.userId);
      if (!found?.canSignIn) throw new DomainError('MFA_CHALLENGE_INVALID', 'This sign-in has expired; start again');
      const scope = { tenantId: pending.tenantId, providerSession: pending.providerSession };
      let upgraded: string | null;
      if ('code' in answer) {
        upgraded = await this.deps.secondFactors.verifyTotp(found.id, answer.code, scope);
      } else {
        upgraded = await this.deps.secondFactors.verifyRecoveryCode(found.id, answer.recoveryCode, scope);
        await this.deps.notice.record(found, 'recovery_code_used', { tenantId: pending.tenantId }, meta);
      }
      return { user: found, providerSession: upgraded ?? pending.providerSession };
    });
    const user = result.user;
    // Recorded by the entry: with the session, in the same write, when it starts one.
    return this.deps.entry.continueAfterMfa(user, { ...challenge, providerSession: result.providerSession }, meta, {
      action: 'auth.login.succeeded',
      actorUserId: user.id,
      metadata: { method, step: 'mfa' },
    });
  }
}
