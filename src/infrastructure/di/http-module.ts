import type { Container } from 'inversify';
import type { AccessTokenService } from '../../application/ports/access-token-service.port.js';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { PasswordHasher } from '../../application/ports/password-hasher.port.js';
import type { RateLimiter } from '../../application/ports/rate-limiter.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { SessionStatusView } from '../../application/ports/session-status-view.port.js';
import type { AuditRecorder } from '../../application/services/audit-recorder.js';
import type { AuthSettings } from '../../application/services/auth-settings.js';
import type { OrgContext } from '../../application/services/org-context.js';
import type { OrganizationEntry } from '../../application/services/organization-entry.js';
import type { SessionIssuer } from '../../application/services/session-issuer.js';
import { AuthenticateRequest } from '../../application/use-cases/authenticate-request.js';
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
import { T } from './tokens.js';

/** Binds the use cases the HTTP adapter calls, built from the bound ports. */
export function bindHttp(c: Container): void {
  c.bind<HttpDeps>(T.HttpDeps).toResolvedValue(
    (
      config: Config, p: Persistence, clock: Clock, bus: InvalidationBus, hasher: PasswordHasher, tokens: AccessTokenService,
      sessionStatus: SessionStatusView, settings: AuthSettings, audit: AuditRecorder, issuer: SessionIssuer, entry: OrganizationEntry, context: OrgContext,
      readiness: Record<string, () => Promise<boolean>>, limiter: RateLimiter, mfa: MfaUseCases, identity: IdentityProvider, identityUseCases: IdentityUseCases, blocklist: PasswordBlocklist,
      access: AccessUseCases, views: AccessViews, mailer: Mailer,
    ): HttpDeps => {
      const publicOrigin = new URL(config.PUBLIC_URL).origin;
      return {
        register: new RegisterUser({ users: p.users, hasher, uow: p.uow, audit, clock, settings, limiter, identity, blocklist }),
        login: new LoginWithPassword({ users: p.users, sessions: p.sessions, identity, entry, mailer, audit, clock, limiter }),
        refresh: new RefreshSession({ sessions: p.sessions, users: p.users, orgs: p.orgs, memberships: p.memberships, issuer, uow: p.uow, bus, audit, clock, settings }),
        logout: new Logout({ sessions: p.sessions, bus, audit, clock }),
        selectOrganization: new SelectOrganization({ oneTimeTokens: p.oneTimeTokens, users: p.users, sessions: p.sessions, entry, bus, audit, clock }),
        listSessions: new ListSessions({ sessions: p.sessions, clock }),
        authenticate: new AuthenticateRequest({ tokens, sessions: sessionStatus, clock }),
        me: new GetMe({ users: p.users, memberships: p.memberships, orgs: p.orgs, views, bus, clock }),
        organizations: new ManageOrganizations({ orgs: p.orgs, memberships: p.memberships, context, uow: p.uow, bus, audit, clock }),
        members: new ManageMembers({ orgs: p.orgs, users: p.users, memberships: p.memberships, customRoles: p.customRoles, sessions: p.sessions, identity, context, uow: p.uow, bus, audit, clock }),
        auditLog: new ReadAuditLog({ audit: p.audit, context }),
        tokens,
        ...mfa,
        ...identityUseCases,
        ...access,
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
    },
    [T.Config, T.Persistence, T.Clock, T.Bus, T.PasswordHasher, T.AccessTokens, T.SessionStatus, T.AuthSettings, T.Audit, T.SessionIssuer, T.OrganizationEntry, T.OrgContext, T.Readiness, T.RateLimiter, T.MfaUseCases, T.IdentityProvider, T.IdentityUseCases, T.PasswordBlocklist, T.AccessUseCases, T.AccessViews, T.Mailer],
  );
}
