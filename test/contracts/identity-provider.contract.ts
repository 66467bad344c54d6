import { describe, expect, it } from 'vitest';
import type { IdentityProvider } from '../../src/application/ports/identity-provider.port.js';
import type { SecondFactorScope } from '../../src/application/ports/second-factor-authority.port.js';
import { isDomainError } from '../../src/domain/shared/domain-error.js';
import type { TestClock } from '../support/test-clock.js';

/** What the contract needs from each provider's test setup. */
export interface IdentityHarness {
  provider: IdentityProvider;
  clock: TestClock;
  /** Creates an account that can sign in with this password; returns its local user id. */
  seedUser(email: string, password: string): Promise<string>;
  /** Creates an invited account (no password yet), optionally a pending member of an organization; returns ids. */
  seedInvited(email: string): Promise<{ userId: string; tenantId: string }>;
  /** The token in the newest link of this kind mailed to the address, or null when none was sent. */
  lastLinkToken(email: string, kind: 'verification' | 'activation' | 'password_reset' | 'magic_link' | 'invitation' | 'account_exists'): Promise<string | null>;
  /** Where a seeded user's second factors live (Stytch: their member in the seeded organization). */
  scope(userId: string): Promise<SecondFactorScope>;
  /** A currently valid TOTP code for a secret. */
  totp(secret: string): Promise<string>;
  close(): Promise<void>;
}

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return isDomainError(error) ? error.code : `NOT_A_DOMAIN_ERROR: ${String(error)}`;
  }
}

const PASSWORD = 'correct horse battery staple';
let n = 0;
const email = (tag: string) => `${tag}-${Date.now().toString(36)}-${n++}@contract.example`;

/**
 * The IdentityProvider contract: every outcome a provider must produce the same way. Run against
 * the built-in provider and against Stytch over its emulator. Where a provider cannot do what the
 * other does, it must say so through `supports` and refuse with IDENTITY_CAPABILITY_UNSUPPORTED;
 * the cases below state each such difference explicitly.
 */
export function identityProviderContract(name: string, make: () => Promise<IdentityHarness>): void {
  describe(`IdentityProvider contract [${name}]`, () => {
    const use = async <T>(fn: (h: IdentityHarness) => Promise<T>) => {
      const h = await make();
      try {
        return await fn(h);
      } finally {
        await h.close();
      }
    };

    it('verifies a password and collapses every failure into INVALID_CREDENTIALS', () =>
      use(async (h) => {
        const address = email('pw');
        const userId = await h.seedUser(address, PASSWORD);
        expect(await h.provider.verifyPassword(address.toUpperCase(), PASSWORD)).toMatchObject({ userId, email: address, amr: ['pwd'] });
        expect(await codeOf(h.provider.verifyPassword(address, 'wrong password here'))).toBe('INVALID_CREDENTIALS');
        expect(await codeOf(h.provider.verifyPassword(email('nobody'), PASSWORD))).toBe('INVALID_CREDENTIALS');
        const invitedAddress = email('invited');
        await h.seedInvited(invitedAddress);
        expect(await codeOf(h.provider.verifyPassword(invitedAddress, PASSWORD))).toBe('INVALID_CREDENTIALS');
        expect(await h.provider.checkPassword(userId, PASSWORD)).toBe(true);
        expect(await h.provider.checkPassword(userId, 'nope nope nope')).toBe(false);
      }));

    it('sets a password only when the policy accepts it', () =>
      use(async (h) => {
        const address = email('set');
        const userId = await h.seedUser(address, PASSWORD);
        expect(await codeOf(h.provider.setPassword(userId, 'short'))).toBe('PASSWORD_POLICY_VIOLATION');
        expect(await codeOf(h.provider.setPassword(userId, 'password1234'))).toBe('PASSWORD_POLICY_VIOLATION');
        await h.provider.setPassword(userId, 'a new and long passphrase');
        expect(await codeOf(h.provider.verifyPassword(address, PASSWORD))).toBe('INVALID_CREDENTIALS');
        expect((await h.provider.verifyPassword(address, 'a new and long passphrase')).userId).toBe(userId);
      }));

    it('sends a magic link to any address; spending it once yields a verified identity', () =>
      use(async (h) => {
        const address = email('magic');
        await h.provider.sendMagicLink(address, null);
        const token = await h.lastLinkToken(address, 'magic_link');
        expect(token).toBeTruthy();
        const identity = await h.provider.verifyMagicLink(token!);
        expect(identity).toMatchObject({ email: address, amr: ['email'] });
        expect(await codeOf(h.provider.verifyMagicLink(token!))).toBe('MAGIC_LINK_INVALID');
        expect(await codeOf(h.provider.verifyMagicLink('x'.repeat(43)))).toBe('MAGIC_LINK_INVALID');
        await h.provider.sendMagicLink(address, null);
        const late = await h.lastLinkToken(address, 'magic_link');
        h.clock.advance(16 * 60);
        expect(await codeOf(h.provider.verifyMagicLink(late!))).toBe('MAGIC_LINK_INVALID');
      }));

    it('verifies an email once (Stytch: unsupported, an address is verified by using a link sent to it)', () =>
      use(async (h) => {
        const address = email('verify');
        const userId = await h.seedUser(address, PASSWORD);
        if (!h.provider.supports('email_verification')) {
          expect(h.provider.name).toBe('stytch');
          expect(await codeOf(h.provider.startEmailVerification(userId))).toBe('IDENTITY_CAPABILITY_UNSUPPORTED');
          expect(await codeOf(h.provider.completeEmailVerification('x'.repeat(43)))).toBe('IDENTITY_CAPABILITY_UNSUPPORTED');
          return;
        }
        await h.provider.startEmailVerification(userId);
        const token = await h.lastLinkToken(address, 'verification');
        expect((await h.provider.completeEmailVerification(token!)).userId).toBe(userId);
        expect(await codeOf(h.provider.completeEmailVerification(token!))).toBe('VERIFICATION_TOKEN_INVALID');
      }));

    it('mails the owner of an address registered again a sign-in link that works once and proves the mailbox (Stytch: unsupported, it has no registration)', () =>
      use(async (h) => {
        const address = email('registered-again');
        const userId = await h.seedUser(address, PASSWORD);
        if (!h.provider.supports('registration')) {
          expect(await codeOf(h.provider.sendAccountExists(userId))).toBe('IDENTITY_CAPABILITY_UNSUPPORTED');
          return;
        }
        await h.provider.sendAccountExists(userId);
        const token = await h.lastLinkToken(address, 'account_exists');
        // The seeded account never proved its mailbox: the link takes the password it had.
        expect(await h.provider.verifyMagicLink(token!)).toMatchObject({ userId, email: address, amr: ['email'], mailboxClaimed: true });
        expect(await codeOf(h.provider.verifyMagicLink(token!))).toBe('MAGIC_LINK_INVALID');
        expect(await codeOf(h.provider.verifyPassword(address, PASSWORD))).toBe('INVALID_CREDENTIALS');
      }));

    it('resets a password once with the newest link, silently for unknown emails, within an hour', () =>
      use(async (h) => {
        const address = email('reset');
        const userId = await h.seedUser(address, PASSWORD);
        await h.provider.startPasswordReset(email('ghost'));
        await h.provider.startPasswordReset(address);
        const older = await h.lastLinkToken(address, 'password_reset');
        await h.provider.startPasswordReset(address);
        const newer = await h.lastLinkToken(address, 'password_reset');
        expect(newer).not.toBe(older);
        if (h.provider.name === 'builtin') {
          // Built-in: a newer link supersedes older ones.
          expect(await codeOf(h.provider.completePasswordReset(older!, 'another long passphrase'))).toBe('RESET_TOKEN_INVALID');
        } else {
          // Stytch keeps earlier links valid until used or expired; each still works once.
          expect(await h.provider.completePasswordReset(older!, 'an older link passphrase')).toEqual({ userId });
          expect(await codeOf(h.provider.completePasswordReset(older!, 'an older link passphrase'))).toBe('RESET_TOKEN_INVALID');
        }
        expect(await h.provider.completePasswordReset(newer!, 'another long passphrase')).toEqual({ userId });
        expect((await h.provider.verifyPassword(address, 'another long passphrase')).userId).toBe(userId);
        expect(await codeOf(h.provider.completePasswordReset(newer!, 'and yet another one'))).toBe('RESET_TOKEN_INVALID');
        await h.provider.startPasswordReset(address);
        const late = await h.lastLinkToken(address, 'password_reset');
        h.clock.advance(3601);
        expect(await codeOf(h.provider.completePasswordReset(late!, 'too late passphrase'))).toBe('RESET_TOKEN_INVALID');
      }));

    it('activates an invited account once, previews it, resends it, and expires it after 72 hours (Stytch: unsupported, invitations are its own magic links)', () =>
      use(async (h) => {
        if (!h.provider.supports('activation')) {
          expect(h.provider.name).toBe('stytch');
          const invited = await h.seedInvited(email('invitee'));
          expect(await codeOf(h.provider.startActivation(invited.userId, invited.tenantId))).toBe('IDENTITY_CAPABILITY_UNSUPPORTED');
          expect(await codeOf(h.provider.previewActivation('x'.repeat(43)))).toBe('IDENTITY_CAPABILITY_UNSUPPORTED');
          expect(await codeOf(h.provider.completeActivation('x'.repeat(43), PASSWORD, 'Invitee'))).toBe('IDENTITY_CAPABILITY_UNSUPPORTED');
          return;
        }
        const address = email('activate');
        const { userId, tenantId } = await h.seedInvited(address);
        const first = await h.lastLinkToken(address, 'activation');
        expect(await h.provider.previewActivation(first!)).toMatchObject({ email: address, organization: { id: tenantId } });
        await h.provider.resendActivation(address);
        await h.provider.resendActivation(email('unknown'));
        expect(await codeOf(h.provider.previewActivation(first!))).toBe('ACTIVATION_TOKEN_INVALID');
        const second = await h.lastLinkToken(address, 'activation');
        const done = await h.provider.completeActivation(second!, 'my chosen passphrase', 'Invitee');
        expect(done).toMatchObject({ userId, tenantId });
        expect((await h.provider.verifyPassword(address, 'my chosen passphrase')).userId).toBe(userId);
        expect(await codeOf(h.provider.completeActivation(second!, 'my chosen passphrase', 'Again'))).toBe('ACTIVATION_TOKEN_INVALID');

        const slowAddress = email('slow');
        await h.seedInvited(slowAddress);
        const slowToken = await h.lastLinkToken(slowAddress, 'activation');
        h.clock.advance(72 * 3600 + 1);
        expect(await codeOf(h.provider.completeActivation(slowToken!, 'my chosen passphrase', 'Slow'))).toBe('ACTIVATION_TOKEN_INVALID');
      }));

    it('keeps each organization\'s activation link: a newer one supersedes only its own organization\'s, and the first activation spends them all (Stytch: unsupported)', () =>
      use(async (h) => {
        if (!h.provider.supports('activation')) return; // covered by the test above
        const address = email('two-orgs');
        const { userId, tenantId } = await h.seedInvited(address);
        const other = await h.seedInvited(email('other-org'));
        const first = await h.lastLinkToken(address, 'activation');
        // Another organization's link (the harness cannot make the account its member: it previews without one).
        await h.provider.startActivation(userId, other.tenantId);
        const otherLink = await h.lastLinkToken(address, 'activation');
        expect(otherLink).not.toBe(first);
        expect(await h.provider.previewActivation(first!)).toMatchObject({ email: address, organization: { id: tenantId } });
        expect(await h.provider.previewActivation(otherLink!)).toMatchObject({ email: address });
        // The first organization sends its link again: its older one goes, the other organization's stays.
        await h.provider.startActivation(userId, tenantId);
        const renewed = await h.lastLinkToken(address, 'activation');
        expect(await codeOf(h.provider.previewActivation(first!))).toBe('ACTIVATION_TOKEN_INVALID');
        expect(await h.provider.previewActivation(renewed!)).toMatchObject({ organization: { id: tenantId } });
        expect(await h.provider.previewActivation(otherLink!)).toMatchObject({ email: address });

        expect(await h.provider.completeActivation(otherLink!, 'my chosen passphrase', 'Invitee')).toMatchObject({ userId });
        expect(await codeOf(h.provider.previewActivation(renewed!))).toBe('ACTIVATION_TOKEN_INVALID');
        expect(await codeOf(h.provider.completeActivation(renewed!, 'another passphrase', 'Again'))).toBe('ACTIVATION_TOKEN_INVALID');
        expect((await h.provider.verifyPassword(address, 'my chosen passphrase')).userId).toBe(userId);
      }));

    it('invites an account that never proved its mailbox: each organization\'s link signs in once within 72 hours, and the first takes the registrant\'s password (Stytch: unsupported, it mails its own invitations)', () =>
      use(async (h) => {
        const { tenantId } = await h.seedInvited(email('org-of-invitation'));
        const other = await h.seedInvited(email('other-org-of-invitation'));
        if (!h.provider.supports('activation')) {
          const userId = await h.seedUser(email('unproved'), PASSWORD);
          expect(await codeOf(h.provider.sendInvitation(userId, tenantId))).toBe('IDENTITY_CAPABILITY_UNSUPPORTED');
          return;
        }
        const address = email('unproved');
        const userId = await h.seedUser(address, PASSWORD);
        await h.provider.sendInvitation(userId, tenantId);
        const first = await h.lastLinkToken(address, 'invitation');
        await h.provider.sendInvitation(userId, other.tenantId);
        const second = await h.lastLinkToken(address, 'invitation');
        expect(first).toBeTruthy();
        expect(second).not.toBe(first);
        expect(await h.provider.verifyMagicLink(first!)).toMatchObject({ userId, email: address, amr: ['email'], mailboxClaimed: true });
        expect(await codeOf(h.provider.verifyMagicLink(first!))).toBe('MAGIC_LINK_INVALID');
        expect(await codeOf(h.provider.verifyPassword(address, PASSWORD))).toBe('INVALID_CREDENTIALS');
        const again = await h.provider.verifyMagicLink(second!);
        expect(again).toMatchObject({ userId, amr: ['email'] });
        expect(again.mailboxClaimed).toBeUndefined();
        expect(await codeOf(h.provider.verifyMagicLink(second!))).toBe('MAGIC_LINK_INVALID');

        const slowAddress = email('slow-invitee');
        await h.provider.sendInvitation(await h.seedUser(slowAddress, PASSWORD), tenantId);
        const slow = await h.lastLinkToken(slowAddress, 'invitation');
        h.clock.advance(72 * 3600 + 1);
        expect(await codeOf(h.provider.verifyMagicLink(slow!))).toBe('MAGIC_LINK_INVALID');
        expect((await h.provider.verifyPassword(slowAddress, PASSWORD)).userId).toBeTruthy();
      }));

    it('keeps second factors when a reset link or a sign-in link first proves the mailbox: the mailbox alone is not a second factor', () =>
      use(async (h) => {
        const enrol = async (userId: string, address: string) => {
          const scope = await h.scope(userId);
          const setup = await h.provider.beginTotpEnrolment(userId, address, scope);
          await h.provider.confirmTotpEnrolment(userId, await h.totp(setup.secret), scope);
          h.clock.advance(30);
          return scope;
        };
        const resetOwner = email('reset-keeps-mfa');
        const resetId = await h.seedUser(resetOwner, PASSWORD);
        const resetScope = await enrol(resetId, resetOwner);
        await h.provider.startPasswordReset(resetOwner);
        await h.provider.completePasswordReset((await h.lastLinkToken(resetOwner, 'password_reset'))!, 'the owner chose this');
        expect(await h.provider.mfaEnrolment(resetId, resetScope)).toEqual({ totp: true, recoveryCodesRemaining: 10 });

        const linkOwner = email('link-keeps-mfa');
        const linkId = await h.seedUser(linkOwner, PASSWORD);
        const linkScope = await enrol(linkId, linkOwner);
        await h.provider.sendMagicLink(linkOwner, null);
        await h.provider.verifyMagicLink((await h.lastLinkToken(linkOwner, 'magic_link'))!);
        expect(await h.provider.mfaEnrolment(linkId, linkScope)).toEqual({ totp: true, recoveryCodesRemaining: 10 });
      }));

    it('enrols TOTP, accepts each code once, spends recovery codes once, and disables', () =>
      use(async (h) => {
        const address = email('totp');
        const userId = await h.seedUser(address, PASSWORD);
        const scope = await h.scope(userId);
        expect(await h.provider.mfaEnrolment(userId, scope)).toEqual({ totp: false, recoveryCodesRemaining: 0 });
        const setup = await h.provider.beginTotpEnrolment(userId, address, scope);
        expect(setup.uri).toMatch(/^otpauth:\/\/totp\//);
        expect(setup.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
        expect(await codeOf(h.provider.confirmTotpEnrolment(userId, '000000', scope))).toBe('MFA_CODE_INVALID');
        const { recoveryCodes } = await h.provider.confirmTotpEnrolment(userId, await h.totp(setup.secret), scope);
        expect(recoveryCodes).toHaveLength(10);
        expect(new Set(recoveryCodes).size).toBe(10);
        h.clock.advance(30);
        const code = await h.totp(setup.secret);
        await h.provider.verifyTotp(userId, code, scope);
        expect(await codeOf(h.provider.verifyTotp(userId, code, scope))).toBe('MFA_CODE_INVALID');
        await h.provider.verifyRecoveryCode(userId, recoveryCodes[0]!, scope);
        expect(await codeOf(h.provider.verifyRecoveryCode(userId, recoveryCodes[0]!, scope))).toBe('MFA_CODE_INVALID');
        expect(await h.provider.mfaEnrolment(userId, scope)).toEqual({ totp: true, recoveryCodesRemaining: 9 });
        const fresh = await h.provider.regenerateRecoveryCodes(userId, scope);
        expect(await codeOf(h.provider.verifyRecoveryCode(userId, recoveryCodes[1]!, scope))).toBe('MFA_CODE_INVALID');
        await h.provider.verifyRecoveryCode(userId, fresh[0]!, scope);
        await h.provider.disableTotp(userId, scope);
        expect(await h.provider.mfaEnrolment(userId, scope)).toEqual({ totp: false, recoveryCodesRemaining: 0 });
      }));

    it('binds a sign-in to the provider session, re-checks it and revokes it (built-in: there is none to bind)', () =>
      use(async (h) => {
        const address = email('session');
        const userId = await h.seedUser(address, PASSWORD);
        const identity = await h.provider.verifyPassword(address, PASSWORD);
        const { tenantId } = await h.scope(userId);
        const handle = await h.provider.openSession({ userId, tenantId, providerSession: identity.providerSession });
        if (h.provider.name === 'builtin') {
          expect(identity.providerSession).toBeNull();
          expect(handle).toBeNull();
          return;
        }
        expect(handle).toEqual(expect.any(String));
        expect(handle).not.toContain(identity.providerSession);
        expect(await h.provider.checkProviderSession(handle!)).toBe(true);
        const tampered = `${handle!.slice(0, -4)}${handle!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
        expect(await h.provider.checkProviderSession(tampered)).toBe(false);
        await h.provider.revokeProviderSession(handle!);
        expect(await h.provider.checkProviderSession(handle!)).toBe(false);
        // The intermediate session was spent by the exchange: it cannot open a second session.
        expect(await codeOf(h.provider.openSession({ userId, tenantId, providerSession: identity.providerSession }))).toBe('INTERMEDIATE_TOKEN_INVALID');
      }));

    it('states its capabilities: both providers do passwords, magic links, TOTP, recovery codes and resets; only the built-in one registers, verifies emails and activates', () =>
      use(async (h) => {
        for (const c of ['password', 'magic_link', 'totp', 'recovery_codes', 'password_reset'] as const) expect(h.provider.supports(c)).toBe(true);
        for (const c of ['registration', 'email_verification', 'activation', 'local_password_check'] as const) expect(h.provider.supports(c)).toBe(h.provider.name === 'builtin');
      }));
  });
}
