import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/adapters/rate-limit/create-rate-limiter.js';
import { MFA_CHALLENGE_TTL_SECONDS } from '../../src/domain/credentials/mfa-challenge.js';
import { type ErrorCode, isDomainError } from '../../src/domain/shared/domain-error.js';
import { asAuthenticated, asMfaRequired, META, mfaWorld, PASSWORD } from './mfa-world.js';

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'resolved'> {
  return promise.then(
    () => 'resolved' as const,
    (error: unknown) => {
      if (isDomainError(error)) return error.code;
      throw error;
    },
  );
}


/** Runs `test` against an MFA world whose rate limits are on (in memory). */
async function withLimits(test: (w: ReturnType<typeof mfaWorld>) => Promise<void>): Promise<void> {
  const handle = createRateLimiter({ store: 'memory', enabled: true });
  try {
    await test(mfaWorld({ limiter: handle.limiter }));
  } finally {
    await handle.close();
  }
}

/** Signs `user` in with the password and answers the fresh challenge with `code`. */
async function answerNewChallenge(w: ReturnType<typeof mfaWorld>, user: Parameters<ReturnType<typeof mfaWorld>['signIn']>[0], code: { code: string }, meta: typeof META) {
  return w.verify.execute(asMfaRequired(await w.signIn(user)).mfaToken, code, meta);
}

describe('TOTP enrolment', () => {
  it('sets up a secret with an otpauth URI and a PNG QR code, active only once confirmed', async () => {
    const w = mfaWorld();
    const user = await w.newUser('ada@example.com');
    const principal = await w.principalOf(user);
    const setup = await w.enrol.setup(principal);
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Gatehouse:ada%40example\.com\?secret=[A-Z2-7]{32}&/);
    expect(setup.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(await w.manage.status(principal)).toMatchObject({ totp: { enabled: false } });
    // Pending: sign-in is not challenged yet.
    expect((await w.signIn(user)).status).toBe('authenticated');

    expect(await codeOf(w.enrol.enable(principal, '000000', META))).toBe('MFA_CODE_INVALID');
    const { recoveryCodes } = await w.enrol.enable(principal, await w.codeFor(setup.secret), META);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    expect(await w.manage.status(principal)).toMatchObject({ totp: { enabled: true }, recoveryCodes: { remaining: 10 } });
    expect(w.mails.map((m) => [m.to, m.template, m.data['change']])).toEqual([['ada@example.com', 'mfa_changed', 'enabled']]);
    // Enabling keeps the current session.
    expect((await w.p.sessions.findById(principal.sessionId))?.revokedAt).toBeNull();
    // A second setup cannot silently replace the active secret.
    expect(await codeOf(w.enrol.setup(principal))).toBe('MFA_ALREADY_ENABLED');
  });

  it('stores only hashes of recovery codes and, with a key, only a sealed secret', async () => {
    const w = mfaWorld({ encryptionKey: Buffer.alloc(32, 7).toString('base64url') });
    const user = await w.newUser();
    const { secret, recoveryCodes } = await w.enrolled(user);
    const stored = await w.p.totpFactors.findByUser(user.id);
    expect(stored?.secret).toMatch(/^aesgcm:/);
    expect(stored?.secret).not.toContain(secret);
    // Stored as SHA-256 of `userId:canonical code`: spending by that hash works, by the code itself not.
    expect(await w.p.recoveryCodes.spend(user.id, recoveryCodes[0]!, w.clock.now())).toBe(false);
    const hash = createHash('sha256').update(`${user.id}:${recoveryCodes[0]!.replace(/-/g, '')}`).digest('hex');
    expect(await w.p.recoveryCodes.spend(user.id, hash, w.clock.now())).toBe(true);
    // A sealed secret copied onto another user's row does not open (the user id is bound in).
    const other = await w.newUser();
    await w.p.totpFactors.savePending({ ...stored!, userId: other.id, confirmedAt: null });
    await w.p.totpFactors.confirm(other.id, stored!.id, 1, w.clock.now());
    await expect(w.factors.verifyTotp(other.id, await w.codeFor(secret))).rejects.toThrow();
  });
});

describe('the MFA step of sign-in', () => {
  it('challenges a user with TOTP, accepts a code once and adds otp+mfa to amr', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const { secret } = await w.enrolled(user);
    const challenge = asMfaRequired(await w.signIn(user));
    expect(challenge).toMatchObject({ methods: ['totp', 'recovery_code'], expiresIn: 300, enrolmentRequired: false });
    const code = await w.codeFor(secret);
    const outcome = asAuthenticated(await w.verify.execute(challenge.mfaToken, { code }, META));
    expect((await w.p.sessions.findById(outcome.session.id))?.amr).toEqual(['pwd', 'otp', 'mfa']);

    // The same code in a new sign-in (same 30 s step): replay refused.
    const again = asMfaRequired(await w.signIn(user));
    expect(await codeOf(w.verify.execute(again.mfaToken, { code }, META))).toBe('MFA_CODE_INVALID');
    // The used challenge is dead.
    expect(await codeOf(w.verify.execute(challenge.mfaToken, { code }, META))).toBe('MFA_CHALLENGE_INVALID');
    // The next step's code works on the challenge that saw the wrong one.
    w.clock.advance(30);
    asAuthenticated(await w.verify.execute(again.mfaToken, { code: await w.codeFor(secret) }, META));
  });

  it('records the sign-in a second factor completes in the same write as its session', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const { secret } = await w.enrolled(user);
    const org = await w.newOrg([user], { mfaRequired: false });
    const challenge = asMfaRequired(await w.signIn(user, org.id));
    const signIns = async () => (await w.p.audit.list(org.id, { limit: 50, action: 'auth.login.succeeded' })).events;
    expect(await signIns()).toEqual([]);
    const outcome = asAuthenticated(await w.verify.execute(challenge.mfaToken, { code: await w.codeFor(secret) }, META));
    expect(await signIns()).toEqual([
      expect.objectContaining({ actorUserId: user.id, tenantId: org.id, ip: META.ip, metadata: { method: 'totp', step: 'mfa', result: 'authenticated' } }),
    ]);
    expect(await w.p.sessions.findById(outcome.session.id)).not.toBeNull();
  });

  it('lets exactly one of several concurrent verifications with one code sign in', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const { secret } = await w.enrolled(user);
    const challenges = await Promise.all([1, 2, 3, 4, 5].map(async () => asMfaRequired(await w.signIn(user)).mfaToken));
    const code = await w.codeFor(secret);
    const results = await Promise.all(challenges.map((token) => codeOf(w.verify.execute(token, { code }, META))));
    expect(results.filter((r) => r === 'resolved')).toHaveLength(1);
    expect(results.filter((r) => r === 'MFA_CODE_INVALID')).toHaveLength(4);
  });

  it('spends recovery codes once (typed in any case, without dashes) and mails the person', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const { recoveryCodes } = await w.enrolled(user);
    const first = asMfaRequired(await w.signIn(user));
    const typed = recoveryCodes[3]!.toUpperCase().replace(/-/g, '');
    const outcome = asAuthenticated(await w.verify.execute(first.mfaToken, { recoveryCode: typed }, META));
    expect((await w.p.sessions.findById(outcome.session.id))?.amr).toEqual(['pwd', 'mfa']);
    expect(w.mails.at(-1)?.data['change']).toBe('recovery_code_used');
    const second = asMfaRequired(await w.signIn(user));
    expect(await codeOf(w.verify.execute(second.mfaToken, { recoveryCode: recoveryCodes[3]! }, META))).toBe('MFA_CODE_INVALID');
    expect(await w.factors.mfaEnrolment(user.id)).toEqual({ totp: true, recoveryCodesRemaining: 9 });
  });

  it('kills a challenge after five wrong codes, even for a right sixth one, and audits each failure', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const org = await w.newOrg([user], { mfaRequired: false });
    const { secret } = await w.enrolled(user);
    const { mfaToken } = asMfaRequired(await w.signIn(user));
    for (let i = 0; i < 5; i++) expect(await codeOf(w.verify.execute(mfaToken, { code: '000000' }, META))).toBe('MFA_CODE_INVALID');
    expect(await codeOf(w.verify.execute(mfaToken, { code: await w.codeFor(secret) }, META))).toBe('MFA_CHALLENGE_INVALID');
    const failures = (await w.p.audit.list(org.id, { action: 'auth.mfa.failed', limit: 50 })).events;
    expect(failures.map((e) => [e.actorUserId, e.metadata['attempts'], e.metadata['exhausted']]).reverse()).toEqual([
      [user.id, 1, false],
      [user.id, 2, false],
      [user.id, 3, false],
      [user.id, 4, false],
      [user.id, 5, true],
    ]);
  });

  it('never lets 20 parallel guesses on one challenge exceed five attempts', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    await w.enrolled(user);
    const { mfaToken } = asMfaRequired(await w.signIn(user));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => codeOf(w.verify.execute(mfaToken, { code: String(100000 + i) }, META))));
    expect(results.filter((r) => r === 'MFA_CODE_INVALID')).toHaveLength(5);
    expect(results.filter((r) => r === 'MFA_CHALLENGE_INVALID')).toHaveLength(15);
  });

  it('locks the account out of code guessing across fresh challenges (mfa_account), until a success', async () => {
    await withLimits(async (w) => {
      const user = await w.newUser();
      const { secret, principal } = await w.enrolled(user);
      const first = asMfaRequired(await w.signIn(user)).mfaToken;
      for (let i = 0; i < 5; i++) expect(await codeOf(w.verify.execute(first, { code: '000000' }, META))).toBe('MFA_CODE_INVALID');
      // A new challenge costs only the password again: the account-wide lock refuses it.
      const second = asMfaRequired(await w.signIn(user)).mfaToken;
      expect(await codeOf(w.verify.execute(second, { code: await w.codeFor(secret) }, META))).toBe('RATE_LIMITED');
      // Re-authentication with a session counts against the same lock.
      expect(await codeOf(w.manage.disable(principal, { code: await w.codeFor(secret) }, META))).toBe('RATE_LIMITED');
    });
  });

  it('whoever knows the password locks out only their own network; a cap bounds guessing from many, except where the owner passed before', async () => {
    await withLimits(async (w) => {
      const user = await w.newUser();
      const { secret } = await w.enrolled(user);
      const from = (ip: string) => ({ ...META, ip });
      // The owner passes the second factor once from home: that network is known from now on.
      expect(await codeOf(answerNewChallenge(w, user, { code: await w.codeFor(secret) }, from('198.51.100.7')))).toBe('resolved');
      w.clock.advance(30);

      // The attacker, from one network, is locked out after 5 guesses; the owner elsewhere is not.
      for (let i = 0; i < 5; i++) expect(await codeOf(answerNewChallenge(w, user, { code: '000000' }, from('203.0.113.1')))).toBe('MFA_CODE_INVALID');
      expect(await codeOf(answerNewChallenge(w, user, { code: '000000' }, from('203.0.113.1')))).toBe('RATE_LIMITED');
      expect(await codeOf(answerNewChallenge(w, user, { code: await w.codeFor(secret) }, from('192.0.2.50')))).toBe('resolved');
      w.clock.advance(30);

      // From many networks, 20 wrong codes an hour in all (5 were spent above); then only networks that passed before may try.
      for (let n = 0; n < 3; n++) {
        for (let i = 0; i < 5; i++) expect(await codeOf(answerNewChallenge(w, user, { code: '000000' }, from(`203.0.113.${10 + n}`)))).toBe('MFA_CODE_INVALID');
      }
      expect(await codeOf(answerNewChallenge(w, user, { code: '000000' }, from('203.0.113.99')))).toBe('RATE_LIMITED');
      expect(await codeOf(answerNewChallenge(w, user, { code: await w.codeFor(secret) }, from('198.51.100.7')))).toBe('resolved');
    });
  });

  it('a right password at re-authentication does not make the network one that passed the second factor', async () => {
    await withLimits(async (w) => {
      const user = await w.newUser();
      const { principal } = await w.enrolled(user);
      const from = (ip: string) => ({ ...META, ip });
      // Someone with a session and the password confirms it from their network…
      expect(await codeOf(w.manage.regenerateRecoveryCodes(principal, { password: PASSWORD }, from('203.0.113.50')))).toBe('resolved');
      // …then spends the account's 20 wrong codes from elsewhere; their network is not exempt from the cap.
      for (let n = 0; n < 4; n++) {
        for (let i = 0; i < 5; i++) expect(await codeOf(answerNewChallenge(w, user, { code: '000000' }, from(`198.18.0.${n}`)))).toBe('MFA_CODE_INVALID');
      }
      expect(await codeOf(answerNewChallenge(w, user, { code: '000000' }, from('203.0.113.50')))).toBe('RATE_LIMITED');
    });
  });

  it('expires a challenge after five minutes', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const { secret } = await w.enrolled(user);
    const { mfaToken } = asMfaRequired(await w.signIn(user));
    w.clock.advance(MFA_CHALLENGE_TTL_SECONDS);
    expect(await codeOf(w.verify.execute(mfaToken, { code: await w.codeFor(secret) }, META))).toBe('MFA_CHALLENGE_INVALID');
  });

  it('never counts a magic link as a second factor; a sign-in that already has one is not challenged', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    await w.enrolled(user);
    expect((await w.entry.enter(user, ['email'], undefined, META)).status).toBe('mfa_required');
    expect((await w.entry.enter(user, ['pwd', 'mfa'], undefined, META)).status).toBe('authenticated');
  });

  it('sends members of an organization that requires MFA to enrolment, then signs them in to it', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const org = await w.newOrg([user], { mfaRequired: true });
    const challenge = asMfaRequired(await w.signIn(user));
    expect(challenge).toMatchObject({ methods: [], enrolmentRequired: true });
    // The challenge cannot be answered with a code: there is no factor yet.
    expect(await codeOf(w.verify.execute(challenge.mfaToken, { code: '123456' }, META))).toBe('MFA_CODE_INVALID');
    const setup = await w.enrol.setupWithChallenge(challenge.mfaToken);
    const result = await w.enrol.enableWithChallenge(challenge.mfaToken, await w.codeFor(setup.secret), META);
    expect(result.recoveryCodes).toHaveLength(10);
    const outcome = asAuthenticated(result.outcome);
    expect(outcome.organization?.id).toBe(org.id);
    expect((await w.p.sessions.findById(outcome.session.id))?.amr).toEqual(['pwd', 'otp', 'mfa']);
    // The enrolment challenge is spent.
    expect(await codeOf(w.enrol.setupWithChallenge(challenge.mfaToken))).toBe('MFA_CHALLENGE_INVALID');
  });

  it('refuses enrolment with an mfaToken that did not ask for enrolment', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    await w.enrolled(user);
    const { mfaToken } = asMfaRequired(await w.signIn(user));
    expect(await codeOf(w.enrol.setupWithChallenge(mfaToken))).toBe('MFA_CHALLENGE_INVALID');
    expect(await codeOf(w.enrol.enableWithChallenge(mfaToken, '123456', META))).toBe('MFA_CHALLENGE_INVALID');
  });

  it('does not challenge members of organizations without the policy when they have no factor', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const org = await w.newOrg([user], { mfaRequired: false });
    expect(asAuthenticated(await w.signIn(user)).organization?.id).toBe(org.id);
  });
});

describe('turning MFA off and regenerating recovery codes', () => {
  it('requires the current password or a fresh code', async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const { secret, principal } = await w.enrolled(user);
    expect(await codeOf(w.manage.disable(principal, { password: 'wrong password!' }, META))).toBe('REAUTHENTICATION_FAILED');
    expect(await codeOf(w.manage.disable(principal, { code: '000000' }, META))).toBe('REAUTHENTICATION_FAILED');
    expect(await codeOf(w.manage.regenerateRecoveryCodes(principal, { password: 'nope' }, META))).toBe('REAUTHENTICATION_FAILED');
    const { recoveryCodes } = await w.manage.regenerateRecoveryCodes(principal, { code: await w.codeFor(secret) }, META);
    expect(recoveryCodes).toHaveLength(10);
    expect(w.mails.at(-1)?.data['change']).toBe('recovery_codes_regenerated');
    expect(await w.factors.mfaEnrolment(user.id)).toEqual({ totp: true, recoveryCodesRemaining: 10 });
  });

  it("removes the factor and codes, ends the user's other sessions, keeps this one", async () => {
    const w = mfaWorld();
    const user = await w.newUser();
    const { principal } = await w.enrolled(user);
    const other = await w.principalOf(user);
    const result = await w.manage.disable(principal, { password: PASSWORD }, META);
    expect(result.revokedSessions).toBe(1);
    expect((await w.p.sessions.findById(other.sessionId))?.revokedReason).toBe('mfa_disabled');
    expect((await w.p.sessions.findById(principal.sessionId))?.revokedAt).toBeNull();
    expect(w.published).toContain(`session:${other.sessionId}`);
    expect(await w.factors.mfaEnrolment(user.id)).toEqual({ totp: false, recoveryCodesRemaining: 0 });
    expect(await w.p.recoveryCodes.countUnused(user.id)).toBe(0);
    expect(w.mails.at(-1)?.data['change']).toBe('disabled');
    expect((await w.signIn(user)).status).toBe('authenticated');
    expect(await codeOf(w.manage.disable(principal, { password: PASSWORD }, META))).toBe('MFA_NOT_ENABLED');
  });
});
