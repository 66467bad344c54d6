import type { Container } from 'inversify';
import type { IdentityProvider } from '../../application/ports/identity-provider.port.js';
import type { RateLimiter } from '../../application/ports/rate-limiter.port.js';
import type { Mailer } from '../../application/ports/mailer.port.js';
import type { PasswordBlocklist } from '../../application/ports/password-blocklist.port.js';
import type { PasswordHasher } from '../../application/ports/password-hasher.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { SecondFactorAuthority } from '../../application/ports/second-factor-authority.port.js';
import type { AuthSettings } from '../../application/services/auth-settings.js';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { AuditRecorder } from '../../application/services/audit-recorder.js';
import { OnboardingTracker } from '../../application/services/onboarding-tracker.js';
import type { OrganizationEntry } from '../../application/services/organization-entry.js';
import { Discovery } from '../../application/use-cases/discovery.js';
import { EmailLinkFlows } from '../../application/use-cases/email-link-flows.js';
import type { ManageOrganizations } from '../../application/use-cases/manage-organizations.js';
import { BuiltinIdentityProvider } from '../../adapters/identity/builtin/builtin-identity-provider.js';
import { CommonPasswordBlocklist } from '../../adapters/security/common-password-blocklist.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config/config.schema.js';
import { stytchConfigured } from './stytch-config.js';
import { T } from './tokens.js';

/** The identity-flow use cases the HTTP adapter calls. */
export interface IdentityUseCases {
  flows: EmailLinkFlows;
  discovery: Discovery;
}

/** Binds the identity provider the configuration names: the built-in engine, or Stytch B2B (stytch-module.ts). */
export function bindIdentity(c: Container, config: Config): void {
  c.bind<IdentityUseCases>(T.IdentityUseCases).toResolvedValue(
    (p: Persistence, identity: IdentityProvider, entry: OrganizationEntry, organizations: ManageOrganizations, bus: InvalidationBus, audit: AuditRecorder, clock: Clock, limiter: RateLimiter): IdentityUseCases => ({
      flows: new EmailLinkFlows({ identity, users: p.users, sessions: p.sessions, oneTimeTokens: p.oneTimeTokens, entry, bus, audit, limiter, clock, onboarding: new OnboardingTracker({ onboarding: p.onboarding, clock }) }),
      discovery: new Discovery({
        identity,
        users: p.users,
        oneTimeTokens: p.oneTimeTokens,
        sessions: p.sessions,
        bus,
        entry,
        organizations,
        audit,
        limiter,
        clock,
      }),
    }),
    [T.Persistence, T.IdentityProvider, T.OrganizationEntry, T.ManageOrganizations, T.Bus, T.Audit, T.Clock, T.RateLimiter],
  );
  c.bind<PasswordBlocklist>(T.PasswordBlocklist).toResolvedValue(() => new CommonPasswordBlocklist());
  if (stytchConfigured(config)) return; // stytch-module.ts binds the Stytch provider
  c.bind<IdentityProvider>(T.IdentityProvider).toResolvedValue(
    (p: Persistence, hasher: PasswordHasher, blocklist: PasswordBlocklist, mailer: Mailer, secondFactors: SecondFactorAuthority, clock: Clock, settings: AuthSettings) =>
      new BuiltinIdentityProvider({
        users: p.users,
        orgs: p.orgs,
        memberships: p.memberships,
        oneTimeTokens: p.oneTimeTokens,
        hasher,
        blocklist,
        mailer,
        secondFactors,
        uow: p.uow,
        clock,
        settings: {
          publicUrl: config.PUBLIC_URL,
          passwordPolicy: settings.passwordPolicy,
          allowedRedirectOrigins: [new URL(config.PUBLIC_URL).origin, ...config.CORS_ORIGINS],
        },
      }),
    [T.Persistence, T.PasswordHasher, T.PasswordBlocklist, T.Mailer, T.SecondFactors, T.Clock, T.AuthSettings],
  );
}
