import type { Container } from 'inversify';
import type { IdentityProvider } from '../../application/ports/identity-provider.port.js';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { Mailer } from '../../application/ports/mailer.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { RateLimiter } from '../../application/ports/rate-limiter.port.js';
import type { SecondFactorAuthority } from '../../application/ports/second-factor-authority.port.js';
import type { AuditRecorder } from '../../application/services/audit-recorder.js';
import { MfaChallenges } from '../../application/services/mfa-challenges.js';
import { MfaChangeNotice } from '../../application/services/mfa-change-notice.js';
import type { OrganizationEntry } from '../../application/services/organization-entry.js';
import { EnrolTotp } from '../../application/use-cases/enrol-totp.js';
import { ManageMfa } from '../../application/use-cases/manage-mfa.js';
import { VerifyMfa } from '../../application/use-cases/verify-mfa.js';
import { BuiltinSecondFactors } from '../../adapters/identity/builtin/builtin-second-factors.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config/config.schema.js';
import { T } from './tokens.js';

/** The MFA use cases the HTTP adapter calls. */
export interface MfaUseCases {
  enrolTotp: EnrolTotp;
  manageMfa: ManageMfa;
  verifyMfa: VerifyMfa;
}

/**
 * TOTP and recovery codes: the built-in second factors (composed into the built-in identity
 * provider), the MFA step of sign-in, and the MFA use cases. Use cases reach second factors
 * through the IdentityProvider, so a provider with its own (Stytch) serves them unchanged.
 */
export function bindMfa(c: Container, config: Config): void {
  c.bind<SecondFactorAuthority>(T.SecondFactors).toResolvedValue(
    (p: Persistence, clock: Clock) =>
      new BuiltinSecondFactors(
        { totpFactors: p.totpFactors, recoveryCodes: p.recoveryCodes, uow: p.uow, clock },
        { issuer: config.TOTP_ISSUER, encryptionKey: config.SIGNING_KEY_ENCRYPTION_KEY },
      ),
    [T.Persistence, T.Clock],
  );
  c.bind<MfaChallenges>(T.MfaChallenges).toResolvedValue(
    (p: Persistence, identity: IdentityProvider, limiter: RateLimiter, audit: AuditRecorder, clock: Clock) =>
      new MfaChallenges({ oneTimeTokens: p.oneTimeTokens, secondFactors: identity, uow: p.uow, limiter, audit, clock }),
    [T.Persistence, T.IdentityProvider, T.RateLimiter, T.Audit, T.Clock],
  );
  c.bind<MfaUseCases>(T.MfaUseCases).toResolvedValue(
    (
      p: Persistence, identity: IdentityProvider, challenges: MfaChallenges, entry: OrganizationEntry, mailer: Mailer,
      bus: InvalidationBus, limiter: RateLimiter, audit: AuditRecorder, clock: Clock,
    ): MfaUseCases => {
      const notice = new MfaChangeNotice({ mailer, audit, clock });
      return {
        enrolTotp: new EnrolTotp({ users: p.users, secondFactors: identity, challenges, entry, notice, uow: p.uow, sessions: p.sessions }),
        manageMfa: new ManageMfa({ users: p.users, orgs: p.orgs, identity, sessions: p.sessions, oneTimeTokens: p.oneTimeTokens, notice, uow: p.uow, bus, limiter, audit, clock }),
        verifyMfa: new VerifyMfa({ users: p.users, secondFactors: identity, challenges, entry, notice }),
      };
    },
    [T.Persistence, T.IdentityProvider, T.MfaChallenges, T.OrganizationEntry, T.Mailer, T.Bus, T.RateLimiter, T.Audit, T.Clock],
  );
}
