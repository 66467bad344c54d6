import { randomUUID } from 'node:crypto';
import type { ActivationPreview, IdentityCapability, IdentityProvider, InvitationDetails, VerifiedIdentity } from '../../../application/ports/identity-provider.port.js';
import type { MembershipRepository } from '../../../application/ports/membership-repository.port.js';
import type { Mailer } from '../../../application/ports/mailer.port.js';
import type { OneTimeTokenRepository } from '../../../application/ports/one-time-token-repository.port.js';
import type { OrganizationRepository } from '../../../application/ports/organization-repository.port.js';
import type { PasswordBlocklist } from '../../../application/ports/password-blocklist.port.js';
import type { PasswordHasher } from '../../../application/ports/password-hasher.port.js';
import type { MfaEnrolment, SecondFactorAuthority, TotpSetup } from '../../../application/ports/second-factor-authority.port.js';
import type { UnitOfWork } from '../../../application/ports/unit-of-work.port.js';
import type { UserRepository } from '../../../application/ports/user-repository.port.js';
import { assertPasswordAcceptable, type PasswordPolicy } from '../../../domain/credentials/password-policy.js';
import { isAllowedRedirect } from '../../../domain/flows/redirect-url.js';
import type { Clock } from '../../../domain/shared/clock.js';
import { DomainError, type ErrorCode } from '../../../domain/shared/domain-error.js';
import { normalizeEmail } from '../../../domain/tenancy/email.js';
import { User } from '../../../domain/tenancy/user.js';
import { FlowTokens } from './flow-tokens.js';

export interface BuiltinIdentityDeps {
  users: UserRepository;
  orgs: OrganizationRepository;
  memberships: MembershipRepository;
  oneTimeTokens: OneTimeTokenRepository;
  hasher: PasswordHasher;
  blocklist: PasswordBlocklist;
  mailer: Mailer;
  secondFactors: SecondFactorAuthority;
  uow: UnitOfWork;
  clock: Clock;
  settings: { publicUrl: string; passwordPolicy: PasswordPolicy; allowedRedirectOrigins: readonly string[] };
}

const CAPABILITIES: ReadonlySet<IdentityCapability> = new Set(['registration', 'password', 'magic_link', 'totp', 'recovery_codes', 'password_reset', 'email_verification', 'activation', 'local_password_check']);

/**
 * Gatehouse as its own identity provider: scrypt passwords, single-use email links
 * (verification, activation, reset, magic link) and TOTP through BuiltinSecondFactors.
 * Every flow that takes an email answers the same way whether the account exists.
 */
export class BuiltinIdentityProvider implements IdentityProvider {
  readonly name = 'builtin' as const;
  private readonly flows: FlowTokens;

  constructor(private readonly deps: BuiltinIdentityDeps) {
    this.flows = new FlowTokens({ oneTimeTokens: deps.oneTimeTokens, mailer: deps.mailer, clock: deps.clock, publicUrl: deps.settings.publicUrl.replace(/\/$/, '') });
  }

  supports(capability: IdentityCapability): boolean {
    return CAPABILITIES.has(capability);
  }

  async verifyPassword(email: string, password: string, account?: Promise<User | null>): Promise<VerifiedIdentity> {
    const user = await (account ?? this.deps.users.findByEmail(normalizeEmail(email)));
    if (!user?.passwordHash) {
      await this.deps.hasher.verifyDummy(password);
      throw invalidCredentials();
    }
    const check = await this.deps.hasher.verify(password, user.passwordHash);
    if (!check.valid || !user.canSignIn) throw invalidCredentials();
    if (check.needsRehash) {
      user.setPasswordHash(await this.deps.hasher.hash(password), this.deps.clock.now());
      await this.deps.users.save(user).catch(() => undefined); // best effort: the next sign-in retries
    }
    return identity(user, ['pwd']);
  }

  async checkPassword(userId: string, password: string): Promise<boolean> {
    const user = await this.deps.users.findById(userId);
    if (!user?.passwordHash) {
      await this.deps.hasher.verifyDummy(password);
      return false;
    }
    return (await this.deps.hasher.verify(password, user.passwordHash)).valid;
  }

  async setPassword(userId: string, password: string): Promise<void> {
    this.assertAcceptable(password);
    const hash = await this.deps.hasher.hash(password);
    const user = await this.requireUser(userId, 'USER_NOT_FOUND');
    user.setPasswordHash(hash, this.deps.clock.now());
    await this.deps.users.save(user);
  }

  async sendMagicLink(email: string, redirectUrl: string | null): Promise<void> {
    if (redirectUrl !== null && !isAllowedRedirect(redirectUrl, this.deps.settings.allowedRedirectOrigins)) {
      throw new DomainError('REDIRECT_URL_NOT_ALLOWED', 'redirectUrl must be on an allowed origin');
    }
    const address = normalizeEmail(email);
    const user = await this.deps.users.findByEmail(address);
    // Sent to any address: discovery lets a new person create an organization, and the
    // answer must not tell whether an account exists. Only the mailbox owner gets the link.
    await this.deps.uow.run(async () => {
      // A newer link supersedes older ones. For an unknown address the same statement runs and finds
      // nothing, so both branches do the same work.
      await this.deps.oneTimeTokens.consumeAllForUser(user?.id ?? randomUUID(), 'magic_link', this.deps.clock.now());
      await this.flows.issue({
        purpose: 'magic_link',
        userId: user?.id ?? null,
        email: address,
        mail: { template: 'magic_link', link: redirectUrl ? (t) => withToken(redirectUrl, t) : '/discovery' },
      });
    });
  }

  async verifyMagicLink(token: string): Promise<VerifiedIdentity> {
    return this.deps.uow.run(async () => {
      // An invitation link is a sign-in link too, mailed by an organization rather than asked for.
      const spent = (await this.flows.consume('magic_link', token)) ?? (await this.flows.consume('invitation', token));
      if (!spent?.email) throw new DomainError('MAGIC_LINK_INVALID', 'This sign-in link is invalid or has expired');
      const now = this.deps.clock.now();
      let user = await this.deps.users.findByEmail(spent.email);
      if (!user) {
        user = User.create({ id: randomUUID(), email: spent.email, now });
      }
      if (user.status === 'disabled') throw new DomainError('MAGIC_LINK_INVALID', 'This sign-in link is invalid or has expired');
      // Clicking the link proves control of the mailbox. If nobody had proved it before, a password
      // already on the account was chosen by whoever registered the address, who need not own it
      // (account pre-hijacking): the password goes, and the caller ends the sessions opened with it.
      const mailboxClaimed = user.emailVerifiedAt === null && user.passwordHash !== null;
      if (mailboxClaimed) {
        user.passwordHash = null;
        user.updatedAt = now;
      }
      if (!user.emailVerifiedAt) user.emailVerifiedAt = now;
      if (user.status === 'invited') user.status = 'active';
      await this.deps.users.save(user);
      return { ...identity(user, ['email']), ...(mailboxClaimed ? { mailboxClaimed } : {}) };
    });
  }

  async startEmailVerification(userId: string): Promise<void> {
    const user = await this.requireUser(userId, 'USER_NOT_FOUND');
    if (user.emailVerifiedAt) return;
    await this.deps.uow.run(async () => {
      await this.deps.oneTimeTokens.consumeAllForUser(user.id, 'email_verification', this.deps.clock.now());
      await this.flows.issue({ purpose: 'email_verification', userId: user.id, email: user.email, mail: { template: 'verification', link: '/verify-email', data: { name: user.name ?? '' } } });
    });
  }

  async sendAccountExists(userId: string): Promise<void> {
    const user = await this.requireUser(userId, 'USER_NOT_FOUND');
    if (user.status === 'disabled') return;
    await this.deps.uow.run(async () => {
      // A sign-in link like any other: it supersedes older ones, and the newest one supersedes it.
      await this.deps.oneTimeTokens.consumeAllForUser(user.id, 'magic_link', this.deps.clock.now());
      await this.flows.issue({
        purpose: 'magic_link',
        userId: user.id,
        email: user.email,
        mail: { template: 'account_exists', link: '/discovery', data: { confirmed: user.emailVerifiedAt ? 'yes' : 'no', ...(user.name ? { name: user.name } : {}) } },
      });
    });
  }

  async completeEmailVerification(token: string): Promise<VerifiedIdentity> {
    return this.deps.uow.run(async () => {
      const spent = await this.flows.consume('email_verification', token);
      const user = spent?.userId ? await this.deps.users.findById(spent.userId) : null;
      if (!user || user.email !== spent?.email || !user.canSignIn) throw new DomainError('VERIFICATION_TOKEN_INVALID', 'This verification link is invalid or has expired');
      user.emailVerifiedAt ??= this.deps.clock.now();
      await this.deps.users.save(user);
      return identity(user, ['email']);
    });
  }

  async startPasswordReset(email: string): Promise<void> {
    const address = normalizeEmail(email);
    const user = await this.deps.users.findByEmail(address);
    await this.deps.uow.run(async () => {
      if (user && user.status !== 'disabled') {
        await this.deps.oneTimeTokens.consumeAllForUser(user.id, 'password_reset', this.deps.clock.now());
        await this.flows.issue({ purpose: 'password_reset', userId: user.id, email: user.email, mail: { template: 'password_reset', link: '/reset-password', data: { name: user.name ?? '' } } });
      } else {
        // Same writes for an unknown address (a token nobody holds, no mail), so timing tells nothing.
        await this.flows.issue({ purpose: 'password_reset', userId: null, email: address, mail: null });
      }
    });
  }

  async completePasswordReset(token: string, newPassword: string): Promise<{ userId: string }> {
    this.assertAcceptable(newPassword);
    const hash = await this.deps.hasher.hash(newPassword);
    return this.deps.uow.run(async () => {
      const spent = await this.flows.consume('password_reset', token);
      const user = spent?.userId ? await this.deps.users.findById(spent.userId) : null;
      if (!user || user.email !== spent?.email || user.status === 'disabled') throw new DomainError('RESET_TOKEN_INVALID', 'This reset link is invalid or has expired');
      const now = this.deps.clock.now();
      user.setPasswordHash(hash, now);
      // The reset link proved control of the mailbox.
      user.emailVerifiedAt ??= now;
      if (user.status === 'invited') user.status = 'active';
      await this.deps.users.save(user);
      await this.deps.oneTimeTokens.consumeAllForUser(user.id, 'password_reset', now);
      return { userId: user.id };
    });
  }

  async sendInvitation(userId: string, tenantId: string, invitation: InvitationDetails = {}): Promise<void> {
    const user = await this.requireUser(userId, 'USER_NOT_FOUND');
    await this.deps.uow.run(async () => {
      // Each organization's invitation keeps its own link: one arriving from another organization does not
      // spend it. A newer one from the same organization (a resend) does, so each has at most one.
      await this.deps.oneTimeTokens.consumeAllForUserInTenant(user.id, 'invitation', tenantId, this.deps.clock.now());
      const org = await this.deps.orgs.findById(tenantId);
      await this.flows.issue({
        purpose: 'invitation',
        userId: user.id,
        email: user.email,
        tenantId,
        mail: {
          template: 'invitation',
          link: '/discovery',
          data: {
            organizationName: org?.name ?? 'an organization',
            ...(user.name ? { name: user.name } : {}),
            ...(invitation.inviterName ? { inviterName: invitation.inviterName } : {}),
            ...(invitation.role ? { role: invitation.role } : {}),
          },
        },
      });
    });
  }

  async startActivation(userId: string, tenantId: string | null): Promise<void> {
    const user = await this.requireUser(userId, 'USER_NOT_FOUND');
    await this.issueActivation(user, tenantId);
  }

  async resendActivation(email: string): Promise<void> {
    const address = normalizeEmail(email);
    const found = await this.deps.users.findByEmail(address);
    const invited = found?.status === 'invited' ? found : null;
    // The new link leads to an organization that invited them, like the first one, and supersedes only that
    // organization's older links (issueActivation). Anyone else gets the
    // same statements with nothing found and a token nobody holds (no mail), so the time to answer does
    // not tell who is invited (as for a password reset).
    // An account whose every invitation was withdrawn has nothing to activate into: it is answered like the rest.
    const pending = (await this.deps.memberships.listByUser(invited?.id ?? randomUUID())).find((m) => !m.isActive);
    if (invited && pending) return this.issueActivation(invited, pending.tenantId);
    await this.deps.uow.run(async () => {
      await this.deps.oneTimeTokens.consumeAllForUserInTenant(randomUUID(), 'activation', randomUUID(), this.deps.clock.now());
      await this.deps.orgs.findById(randomUUID());
      await this.flows.issue({ purpose: 'activation', userId: null, email: address, mail: null });
    });
  }

  async previewActivation(token: string): Promise<ActivationPreview> {
    const pending = await this.flows.peek('activation', token);
    const user = pending?.userId ? await this.deps.users.findById(pending.userId) : null;
    const target = user ? await this.activationTarget(user, pending?.tenantId ?? null) : null;
    if (!pending || !target) throw new DomainError('ACTIVATION_TOKEN_INVALID', 'This activation link is invalid or has expired');
    const org = target.tenantId ? await this.deps.orgs.findById(target.tenantId) : null;
    return { email: pending.email ?? '', organization: org ? { id: org.id, slug: org.slug, name: org.name } : null };
  }

  async completeActivation(token: string, password: string, name: string): Promise<VerifiedIdentity & { tenantId: string | null }> {
    this.assertAcceptable(password);
    const hash = await this.deps.hasher.hash(password);
    return this.deps.uow.run(async () => {
      const spent = await this.flows.consume('activation', token);
      const user = spent?.userId ? await this.deps.users.findById(spent.userId) : null;
      const target = user && user.status !== 'disabled' ? await this.activationTarget(user, spent?.tenantId ?? null) : null;
      if (!user || !target) throw new DomainError('ACTIVATION_TOKEN_INVALID', 'This activation link is invalid or has expired');
      const now = this.deps.clock.now();
      user.setPasswordHash(hash, now);
      user.rename(name, now);
      user.emailVerifiedAt ??= now;
      user.status = 'active';
      await this.deps.users.save(user);
      // The account has its password now: every organization's activation link is spent. Their invitations stay
      // pending and are offered at sign-in.
      await this.deps.oneTimeTokens.consumeAllForUser(user.id, 'activation', now);
      return { ...identity(user, ['pwd', 'email']), tenantId: target.tenantId };
    });
  }

  /**
   * Where an activation leads: the organization whose invitation sent it, while the person is still
   * its member, else nowhere in particular (they pick among the rest). Null when an invited account has
   * no membership left: every invitation that created it was withdrawn, so there is nothing to activate.
   */
  private async activationTarget(user: User, tenantId: string | null): Promise<{ tenantId: string | null } | null> {
    const memberships = await this.deps.memberships.listByUser(user.id);
    if (user.status === 'invited' && memberships.length === 0) return null;
    return { tenantId: tenantId !== null && memberships.some((m) => m.tenantId === tenantId) ? tenantId : null };
  }

  async revokeProviderSession(): Promise<void> {
    // Gatehouse's own sessions are the only sessions in built-in mode.
  }

  mfaEnrolment(userId: string): Promise<MfaEnrolment> {
    return this.deps.secondFactors.mfaEnrolment(userId);
  }
  beginTotpEnrolment(userId: string, label: string): Promise<TotpSetup> {
    return this.deps.secondFactors.beginTotpEnrolment(userId, label);
  }
  confirmTotpEnrolment(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    return this.deps.secondFactors.confirmTotpEnrolment(userId, code);
  }
  verifyTotp(userId: string, code: string): Promise<string | null> {
    return this.deps.secondFactors.verifyTotp(userId, code);
  }
  verifyRecoveryCode(userId: string, code: string): Promise<string | null> {
    return this.deps.secondFactors.verifyRecoveryCode(userId, code);
  }
  disableTotp(userId: string): Promise<void> {
    return this.deps.secondFactors.disableTotp(userId);
  }
  regenerateRecoveryCodes(userId: string): Promise<string[]> {
    return this.deps.secondFactors.regenerateRecoveryCodes(userId);
  }

  /** Gatehouse is the provider: there is no other session to open, check or revoke. */
  async openSession(): Promise<null> {
    return null;
  }
  async checkProviderSession(): Promise<boolean> {
    return true;
  }

  private async issueActivation(user: User, tenantId: string | null): Promise<void> {
    await this.deps.uow.run(async () => {
      const now = this.deps.clock.now();
      // A fresh link supersedes the older ones of the same organization only (a link naming none is its own
      // group): like invitation links, each organization's stays usable whatever another one sends. The first
      // activation completed spends them all (completeActivation).
      await this.deps.oneTimeTokens.consumeAllForUserInTenant(user.id, 'activation', tenantId, now);
      const org = tenantId ? await this.deps.orgs.findById(tenantId) : null;
      await this.flows.issue({
        purpose: 'activation',
        userId: user.id,
        email: user.email,
        tenantId,
        mail: { template: 'activation', link: '/activate', data: { organizationName: org?.name ?? '' } },
      });
    });
  }

  private assertAcceptable(password: string): void {
    assertPasswordAcceptable(password, this.deps.settings.passwordPolicy, (p) => this.deps.blocklist.isCommon(p));
  }

  private async requireUser(userId: string, code: ErrorCode): Promise<User> {
    const user = await this.deps.users.findById(userId);
    if (!user) throw new DomainError(code, 'User not found');
    return user;
  }
}

function identity(user: User, amr: string[]): VerifiedIdentity {
  return { userId: user.id, email: user.email, amr, providerSession: null };
}

function invalidCredentials(): DomainError {
  return new DomainError('INVALID_CREDENTIALS', 'Email or password is incorrect');
}

function withToken(url: string, token: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('token', token);
  return parsed.toString();
}
