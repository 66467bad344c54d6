import { randomUUID } from 'node:crypto';
import { BuiltinSecondFactors } from '../../src/adapters/identity/builtin/builtin-second-factors.js';
import { LocalDirectory } from '../../src/adapters/identity/builtin/local-directory.js';
import { DisabledRateLimiter } from '../../src/adapters/rate-limit/disabled-rate-limiter.js';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import type { InvalidationBus } from '../../src/application/ports/invalidation-bus.port.js';
import type { MailMessage, Mailer } from '../../src/application/ports/mailer.port.js';
import type { RateLimiter } from '../../src/application/ports/rate-limiter.port.js';
import { AuditRecorder } from '../../src/application/services/audit-recorder.js';
import type { AuthOutcome, Authenticated, MfaRequired } from '../../src/application/services/auth-outcome.js';
import type { AuthSettings } from '../../src/application/services/auth-settings.js';
import { MembershipAdmission } from '../../src/application/services/membership-admission.js';
import { EntitlementGuard } from '../../src/application/services/entitlement-guard.js';
import { MfaChallenges } from '../../src/application/services/mfa-challenges.js';
import { MfaChangeNotice } from '../../src/application/services/mfa-change-notice.js';
import { OrganizationEntry } from '../../src/application/services/organization-entry.js';
import type { Principal, RequestMeta } from '../../src/application/services/request-meta.js';
import { SessionIssuer } from '../../src/application/services/session-issuer.js';
import { EnrolTotp } from '../../src/application/use-cases/enrol-totp.js';
import { ManageMfa } from '../../src/application/use-cases/manage-mfa.js';
import { VerifyMfa } from '../../src/application/use-cases/verify-mfa.js';
import { Membership } from '../../src/domain/tenancy/membership.js';
import { Organization } from '../../src/domain/tenancy/organization.js';
import { User } from '../../src/domain/tenancy/user.js';
import { TestClock } from '../support/test-clock.js';
import { stubAccessTokens } from '../support/stub-access-tokens.js';

export const META: RequestMeta = { ip: '192.0.2.1', userAgent: 'vitest' };
export const PASSWORD = 'correct horse battery staple';

/**
 * The MFA use cases over the in-memory store, the real BuiltinSecondFactors and a clock the test
 * moves. Access tokens are stand-ins (`at.<sessionId>`): signing is not what these tests check.
 */
export function mfaWorld(options: { encryptionKey?: string; limiter?: RateLimiter } = {}) {
  const limiter = options.limiter ?? new DisabledRateLimiter();
  const p = createInMemoryPersistence();
  // Mid-step, so one advance(30) always lands in the next step.
  const clock = new TestClock(new Date('2030-01-01T00:00:10.000Z'));
  const mails: MailMessage[] = [];
  const mailer: Mailer = { enqueue: async (message) => void mails.push(message) };
  const published: string[] = [];
  const bus: InvalidationBus = { publish: async (m) => void published.push(`${m.topic}:${m.id}`), subscribe: () => () => undefined };
  const tokens = stubAccessTokens();
  const settings: AuthSettings = {
    sessions: { idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 86_400 },
    intermediateTokenTtlSeconds: 600,
    passwordPolicy: { minLength: 12, maxLength: 1024 },
  };
  const audit = new AuditRecorder({ audit: p.audit, clock });
  const factors = new BuiltinSecondFactors({ totpFactors: p.totpFactors, recoveryCodes: p.recoveryCodes, uow: p.uow, clock }, { issuer: 'Gatehouse', encryptionKey: options.encryptionKey });
  const identity = {
    checkPassword: async (_userId: string, password: string) => password === PASSWORD,
    mfaEnrolment: (userId: string) => factors.mfaEnrolment(userId),
    openSession: async () => null,
    revokeProviderSession: async () => undefined,
    verifyTotp: (userId: string, code: string) => factors.verifyTotp(userId, code),
    verifyRecoveryCode: (userId: string, code: string) => factors.verifyRecoveryCode(userId, code),
    beginTotpEnrolment: (userId: string, label: string) => factors.beginTotpEnrolment(userId, label),
    confirmTotpEnrolment: (userId: string, code: string) => factors.confirmTotpEnrolment(userId, code),
    disableTotp: (userId: string) => factors.disableTotp(userId),
    regenerateRecoveryCodes: (userId: string) => factors.regenerateRecoveryCodes(userId),
  };
  const challenges = new MfaChallenges({ oneTimeTokens: p.oneTimeTokens, secondFactors: identity, uow: p.uow, limiter, audit, clock });
  const issuer = new SessionIssuer({ sessions: p.sessions, tokens, clock, settings, identity, bus });
  const entitlements = new EntitlementGuard({ orgs: p.orgs, entities: p.entities, memberships: p.memberships });
  const admission = new MembershipAdmission({ orgs: p.orgs, memberships: p.memberships, entitlements, directory: new LocalDirectory(), links: p.identityLinks, uow: p.uow, bus, clock });
  const entry = new OrganizationEntry({ orgs: p.orgs, memberships: p.memberships, oneTimeTokens: p.oneTimeTokens, issuer, admission, mfa: challenges, audit, clock, settings });
  const notice = new MfaChangeNotice({ mailer, audit, clock });
  const enrol = new EnrolTotp({ users: p.users, secondFactors: identity, challenges, entry, notice, uow: p.uow, sessions: p.sessions });
  const manage = new ManageMfa({ users: p.users, orgs: p.orgs, identity, sessions: p.sessions, oneTimeTokens: p.oneTimeTokens, notice, uow: p.uow, bus, limiter, audit, clock });
  const verify = new VerifyMfa({ users: p.users, secondFactors: identity, challenges, entry, notice });

  async function newUser(email = `${randomUUID()}@example.com`): Promise<User> {
    const user = User.create({ id: randomUUID(), email, name: 'Ada', passwordHash: 'unused', now: clock.now() });
    await p.users.save(user);
    return user;
  }

  async function newOrg(members: User[], policy: { mfaRequired: boolean }): Promise<Organization> {
    const org = Organization.create({ id: randomUUID(), slug: `org-${randomUUID().slice(0, 8)}`, name: 'Acme', now: clock.now() });
    org.updatePolicy(policy, clock.now());
    await p.orgs.save(org);
    for (const user of members) await p.memberships.save(Membership.create({ id: randomUUID(), tenantId: org.id, userId: user.id, role: 'member', now: clock.now() }));
    return org;
  }

  /** Signs in with a password (amr `pwd`) and returns the outcome. */
  function signIn(user: User, organization?: string): Promise<AuthOutcome> {
    return entry.enter(user, ['pwd'], organization, META);
  }

  /** A signed-in principal (a real session) for Bearer-style use cases. */
  async function principalOf(user: User): Promise<Principal> {
    const outcome = await issuer.start({ user, organization: null, membership: null, amr: ['pwd'], meta: META });
    return { userId: user.id, sessionId: outcome.session.id, tenantId: null, membershipId: null, roles: [], amr: ['pwd'] };
  }

  /** The current TOTP code for a secret, at the world's clock. */
  function codeFor(secret: string): Promise<string> {
    return clock.totp(secret);
  }

  /** Enrols TOTP for a signed-in user; returns the secret and the recovery codes. */
  async function enrolled(user: User): Promise<{ secret: string; recoveryCodes: string[]; principal: Principal }> {
    const principal = await principalOf(user);
    const setup = await enrol.setup(principal);
    const { recoveryCodes } = await enrol.enable(principal, await codeFor(setup.secret), META);
    clock.advance(30); // the enabling code's step is spent
    return { secret: setup.secret, recoveryCodes, principal };
  }

  return { p, clock, mails, published, factors, challenges, entry, enrol, manage, verify, newUser, newOrg, signIn, principalOf, codeFor, enrolled };
}

export function asMfaRequired(outcome: AuthOutcome): MfaRequired {
  if (outcome.status !== 'mfa_required') throw new Error(`expected mfa_required, got ${outcome.status}`);
  return outcome;
}

export function asAuthenticated(outcome: AuthOutcome): Authenticated {
  if (outcome.status !== 'authenticated') throw new Error(`expected authenticated, got ${outcome.status}`);
  return outcome;
}
