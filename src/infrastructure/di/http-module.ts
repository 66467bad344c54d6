import type { Container } from 'inversify';
import type { AccessTokenService } from '../../application/ports/access-token-service.port.js';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { PasswordHasher } from '../../application/ports/password-hasher.port.js';
import type { RateLimiter } from '../../application/ports/rate-limiter.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { SessionStatusView } from '../../application/ports/session-status-view.port.js';
import type { AuditRecorder } from '../../application/services/audit-recorder.js';
import type { EntitlementGuard } from '../../application/services/entitlement-guard.js';
import type { AuthSettings } from '../../application/services/auth-settings.js';
import type { OrgContext } from '../../application/services/org-context.js';
import type { OrganizationEntry } from '../../application/services/organization-entry.js';
import type { SessionIssuer } from '../../application/services/session-issuer.js';
import { AuthenticateRequest, type ExternalSessions } from '../../application/use-cases/authenticate-request.js';
import { GetEntitlements } from '../../application/use-cases/get-entitlements.js';
import { GetMe } from '../../application/use-cases/get-me.js';
import { ListSessions } from '../../application/use-cases/list-sessions.js';
import { LoginWithPassword } from '../../application/use-cases/login-with-password.js';
import { Logout } from '../../application/use-cases/logout.js';
import { ManageMembers } from '../../application/use-cases/manage-members.js';
import { ManageOrganizations } from '../../application/use-cases/manage-organizations.js';
import { ReadAuditLog } from '../../application/use-cases/read-audit-log.js';
import { RefreshSession } from '../../application/use-cases/refresh-session.js';
import { RegisterUser } from '../../application/use-cases/register-user.js';
import { SelectOrganization } from '../../application/use-cases/select-organization.js';
import type { HttpDeps } from '../../adapters/http/http-deps.js';
import { RefreshTransport } from '../../adapters/http/refresh-transport.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config/config.schema.js';
import type { MfaUseCases } from './mfa-module.js';
import type { IdentityUseCases } from './identity-module.js';
import type { IdentityProvider } from '../../application/ports/identity-provider.port.js';
import type { PasswordBlocklist } from '../../application/ports/password-blocklist.port.js';
import type { Mailer } from '../../application/ports/mailer.port.js';
import type { AccessViews } from '../../application/services/access-views.js';
import type { AccessUseCases } from './access-module.js';
import type { BillingUseCases } from './billing-module.js';
import type { BillingWebhookUseCases } from './billing-webhook-module.js';
import type { IdentityWebhookUseCases } from './identity-webhook-module.js';
import type { OnboardingTracker } from '../../application/services/onboarding-tracker.js';
import { T } from './tokens.js';

/** Binds the use cases the HTTP adapter calls, built from the bound ports. */
export function bindHttp(c: Container): void {
  c.bind<ManageOrganizations>(T.ManageOrganizations).toDynamicValue((ctx) => {
    const p = ctx.get<Persistence>(T.Persistence);
    return new ManageOrganizations({
      orgs: p.orgs,
      users: p.users,
      memberships: p.memberships,
      sessions: p.sessions,
      directory: ctx.get(T.IdentityDirectory),
      links: p.identityLinks,
      context: ctx.get(T.OrgContext),
      uow: p.uow,
      bus: ctx.get(T.Bus),
      audit: ctx.get(T.Audit),
      clock: ctx.get(T.Clock),
    });
  });
  c.bind<HttpDeps>(T.HttpDeps).toDynamicValue((ctx): HttpDeps => {
    const config = ctx.get<Config>(T.Config);
    const p = ctx.get<Persistence>(T.Persistence);
    const clock = ctx.get<Clock>(T.Clock);
    const bus = ctx.get<InvalidationBus>(T.Bus);
    const audit = ctx.get<AuditRecorder>(T.Audit);
    const settings = ctx.get<AuthSettings>(T.AuthSettings);
    const limiter = ctx.get<RateLimiter>(T.RateLimiter);
    const identity = ctx.get<IdentityProvider>(T.IdentityProvider);
    const entry = ctx.get<OrganizationEntry>(T.OrganizationEntry);
    const issuer = ctx.get<SessionIssuer>(T.SessionIssuer);
    const context = ctx.get<OrgContext>(T.OrgContext);
    const tokens = ctx.get<AccessTokenService>(T.AccessTokens);
    const readiness = ctx.get<Record<string, () => Promise<boolean>>>(T.Readiness);
    const publicOrigin = new URL(config.PUBLIC_URL).origin;
    const entitlementGuard = ctx.get<EntitlementGuard>(T.EntitlementGuard);
    return {
      register: new RegisterUser({ users: p.users, hasher: ctx.get<PasswordHasher>(T.PasswordHasher), uow: p.uow, audit, clock, settings, limiter, identity, blocklist: ctx.get<PasswordBlocklist>(T.PasswordBlocklist) }),
      login: new LoginWithPassword({ users: p.users, sessions: p.sessions, identity, entry, mailer: ctx.get<Mailer>(T.Mailer), audit, clock, limiter }),
      refresh: new RefreshSession({ sessions: p.sessions, users: p.users, orgs: p.orgs, memberships: p.memberships, issuer, uow: p.uow, bus, audit, clock, settings, identity }),
      logout: new Logout({ sessions: p.sessions, oneTimeTokens: p.oneTimeTokens, bus, audit, clock, identity }),
      selectOrganization: new SelectOrganization({ oneTimeTokens: p.oneTimeTokens, users: p.users, sessions: p.sessions, entry, clock }),
      listSessions: new ListSessions({ sessions: p.sessions, clock }),
      authenticate: new AuthenticateRequest({ tokens, sessions: ctx.get<SessionStatusView>(T.SessionStatus), clock, external: ctx.get<ExternalSessions>(T.ExternalSessions, { optional: true }) }),
      me: new GetMe({ users: p.users, memberships: p.memberships, orgs: p.orgs, views: ctx.get<AccessViews>(T.AccessViews), bus, clock, onboarding: ctx.get<OnboardingTracker>(T.OnboardingTracker) }),
      organizations: ctx.get<ManageOrganizations>(T.ManageOrganizations),
      members: new ManageMembers({ orgs: p.orgs, users: p.users, memberships: p.memberships, customRoles: p.customRoles, sessions: p.sessions, identity, directory: ctx.get(T.IdentityDirectory), links: p.identityLinks, context, uow: p.uow, bus, audit, clock, entitlements: entitlementGuard, limiter, onboarding: ctx.get<OnboardingTracker>(T.OnboardingTracker) }),
      entitlements: new GetEntitlements({ context, guard: entitlementGuard }),
      auditLog: new ReadAuditLog({ audit: p.audit, context }),
      tokens,
      ...ctx.get<MfaUseCases>(T.MfaUseCases),
      ...ctx.get<IdentityUseCases>(T.IdentityUseCases),
      ...ctx.get<AccessUseCases>(T.AccessUseCases),
      ...ctx.get<BillingUseCases>(T.BillingUseCases),
      ...ctx.get<BillingWebhookUseCases>(T.BillingWebhookUseCases),
      ...ctx.get<IdentityWebhookUseCases>(T.IdentityWebhookUseCases),
      refreshTransport: new RefreshTransport({
        secureCookie: config.COOKIE_SECURE,
        allowedOrigins: [publicOrigin, ...config.CORS_ORIGINS],
        maxAgeSeconds: config.SESSION_ABSOLUTE_LIFETIME_SECONDS,
      }),
      ready: async () => {
        const checks: Record<string, boolean> = { database: await p.ping().catch(() => false) };
        for (const [name, check] of Object.entries(readiness)) checks[name] = checks['database'] ? await check().catch(() => false) : false;
        return { ready: Object.values(checks).every(Boolean), checks };
      },
    };
  });
}
