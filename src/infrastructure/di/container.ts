import { Container } from 'inversify';
import type { Logger } from 'pino';
import type { IdentityProvider } from '../../application/ports/identity-provider.port.js';
import type { AccessTokenService } from '../../application/ports/access-token-service.port.js';
import type { IdentityDirectory } from '../../application/ports/identity-directory.port.js';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { PasswordHasher } from '../../application/ports/password-hasher.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { SessionStatusView } from '../../application/ports/session-status-view.port.js';
import { AuditRecorder } from '../../application/services/audit-recorder.js';
import type { AuthSettings } from '../../application/services/auth-settings.js';
import type { AccessViews } from '../../application/services/access-views.js';
import { OrgContext } from '../../application/services/org-context.js';
import type { EntitlementGuard } from '../../application/services/entitlement-guard.js';
import { MembershipAdmission } from '../../application/services/membership-admission.js';
import type { MfaChallenges } from '../../application/services/mfa-challenges.js';
import { OrganizationEntry } from '../../application/services/organization-entry.js';
import { SessionIssuer } from '../../application/services/session-issuer.js';
import { CachedSessionStatus } from '../../adapters/cache/cached-session-status.js';
import { SystemClock } from '../../adapters/cache/system-clock.js';
import { HashWorkerPool } from '../../adapters/security/hash-worker-pool.js';
import { JoseAccessTokenService } from '../../adapters/security/jose-access-token-service.js';
import { OWASP_SCRYPT_PROFILES } from '../../adapters/security/scrypt-params.js';
import { ScryptPasswordHasher } from '../../adapters/security/scrypt-password-hasher.js';
import { SigningKeyCodec } from '../../adapters/security/signing-key-codec.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config/config.schema.js';
import { issuerOf } from '../config/load-config.js';
import { bindAccess } from './access-module.js';
import { bindBilling } from './billing-module.js';
import { bindBillingWebhooks } from './billing-webhook-module.js';
import { bindIdentityWebhooks } from './identity-webhook-module.js';
import { createInvalidationBus } from './bus-module.js';
import { bindHttp } from './http-module.js';
import { bindIdentity } from './identity-module.js';
import { bindIdentityDirectory } from './identity-directory-module.js';
import { bindMail } from './mail-module.js';
import { bindMfa } from './mfa-module.js';
import type { OptionalAdapters } from './optional-adapters.js';
import { bindRateLimiter } from './rate-limit-module.js';
import { stytchConfigured } from './stytch-config.js';
import { T } from './tokens.js';

/**
 * What the composition root needs from outside: config, logger, an opened store, and the optional
 * adapters the configuration uses, already loaded (createGatehouse loads them: optional-adapters.ts).
 */
export interface RootInput extends OptionalAdapters {
  config: Config;
  logger: Logger;
  persistence: Persistence;
  clock?: Clock;
  bus?: InvalidationBus;
  /** Extra readiness checks beyond "the store answers", e.g. "no migration pending". */
  readiness?: Record<string, () => Promise<boolean>>;
  /** Plain URL of the open database (`Database.url`), for stores that share it (RATE_LIMIT_STORE=postgres). */
  databaseUrl?: string;
}

/**
 * The one composition root: binds every port to the adapter the configuration
 * chooses, and the application services to their ports. Use cases never see config.
 */
export function buildContainer(input: RootInput): Container {
  const { config } = input;
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind<Config>(T.Config).toConstantValue(config);
  c.bind<Logger>(T.Logger).toConstantValue(input.logger);
  c.bind<Clock>(T.Clock).toConstantValue(input.clock ?? new SystemClock());
  c.bind<Persistence>(T.Persistence).toConstantValue(input.persistence);
  c.bind<InvalidationBus>(T.Bus).toConstantValue(input.bus ?? createInvalidationBus(config, input.logger, input.redisBus));
  c.bind<AuthSettings>(T.AuthSettings).toConstantValue({
    sessions: { idleTimeoutSeconds: config.SESSION_IDLE_TIMEOUT_SECONDS, absoluteLifetimeSeconds: config.SESSION_ABSOLUTE_LIFETIME_SECONDS },
    intermediateTokenTtlSeconds: config.INTERMEDIATE_TOKEN_TTL_SECONDS,
    passwordPolicy: { minLength: config.PASSWORD_MIN_LENGTH, maxLength: 1024 },
  });
  c.bind<HashWorkerPool>(T.HashPool).toResolvedValue(() => new HashWorkerPool({ size: config.PASSWORD_HASH_WORKERS, queueMax: config.PASSWORD_HASH_QUEUE_MAX, busyRest: config.PASSWORD_HASH_BUSY_REST }));
  c.bind<PasswordHasher>(T.PasswordHasher).toResolvedValue(
    (pool: HashWorkerPool) => new ScryptPasswordHasher(pool, OWASP_SCRYPT_PROFILES[config.PASSWORD_HASH_PARAMS]),
    [T.HashPool],
  );
  c.bind<AccessTokenService>(T.AccessTokens).toResolvedValue(
    (p: Persistence, clock: Clock) =>
      new JoseAccessTokenService(p.signingKeys, new SigningKeyCodec(config.SIGNING_KEY_ENCRYPTION_KEY), clock, {
        issuer: issuerOf(config),
        audience: config.JWT_AUDIENCE,
        algorithm: config.JWT_ALGORITHM,
        ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      }),
    [T.Persistence, T.Clock],
  );
  c.bind<SessionStatusView>(T.SessionStatus).toResolvedValue((p: Persistence, bus: InvalidationBus) => new CachedSessionStatus(p.sessions, bus), [T.Persistence, T.Bus]);
  c.bind<AuditRecorder>(T.Audit).toResolvedValue((p: Persistence, clock: Clock) => new AuditRecorder({ audit: p.audit, clock }), [T.Persistence, T.Clock]);
  c.bind<SessionIssuer>(T.SessionIssuer).toResolvedValue(
    (p: Persistence, tokens: AccessTokenService, clock: Clock, settings: AuthSettings, identity: IdentityProvider, bus: InvalidationBus) =>
      new SessionIssuer({ sessions: p.sessions, tokens, clock, settings, identity, bus }),
    [T.Persistence, T.AccessTokens, T.Clock, T.AuthSettings, T.IdentityProvider, T.Bus],
  );
  c.bind<MembershipAdmission>(T.MembershipAdmission).toResolvedValue(
    (p: Persistence, bus: InvalidationBus, clock: Clock, entitlements: EntitlementGuard, directory: IdentityDirectory) =>
      new MembershipAdmission({ orgs: p.orgs, memberships: p.memberships, entitlements, directory, links: p.identityLinks, uow: p.uow, bus, clock }),
    [T.Persistence, T.Bus, T.Clock, T.EntitlementGuard, T.IdentityDirectory],
  );
  c.bind<OrganizationEntry>(T.OrganizationEntry).toResolvedValue(
    (p: Persistence, issuer: SessionIssuer, admission: MembershipAdmission, mfa: MfaChallenges, audit: AuditRecorder, clock: Clock, settings: AuthSettings) =>
      new OrganizationEntry({ orgs: p.orgs, memberships: p.memberships, oneTimeTokens: p.oneTimeTokens, issuer, admission, mfa, audit, clock, settings }),
    [T.Persistence, T.SessionIssuer, T.MembershipAdmission, T.MfaChallenges, T.Audit, T.Clock, T.AuthSettings],
  );
  c.bind<OrgContext>(T.OrgContext).toResolvedValue(
    (p: Persistence, audit: AuditRecorder, views: AccessViews) => new OrgContext({ orgs: p.orgs, memberships: p.memberships, entities: p.entities, views, audit }),
    [T.Persistence, T.Audit, T.AccessViews],
  );
  c.bind(T.Readiness).toConstantValue(input.readiness ?? {});
  bindRateLimiter(c, config, input.logger, input.databaseUrl, input.rateLimitStore);
  bindMail(c, config, input.logger, input.smtp);
  bindIdentity(c, config);
  bindIdentityDirectory(c, config);
  if (stytchConfigured(config)) {
    if (!input.stytch) throw new Error('IDENTITY_PROVIDER=stytch needs the Stytch bindings (createGatehouse loads them)');
    input.stytch.bindStytch(c, config);
  }
  bindMfa(c, config);
  bindAccess(c);
  bindBilling(c, config, input.stripe);
  bindBillingWebhooks(c, config);
  bindIdentityWebhooks(c, config, input.svix);
  bindHttp(c);
  return c;
}
