import { describe, expect, it } from 'vitest';
import {
  amrWithSecondFactor,
  applyMfaChallengeEvent,
  hasSecondFactor,
  MFA_CHALLENGE_MAX_ATTEMPTS,
  type MfaChallenge,
  mfaChallengeState,
} from '../../../src/domain/credentials/mfa-challenge.js';
import { normalizeRecoveryCode, RECOVERY_CODE_BITS, recoveryCodeFromBytes } from '../../../src/domain/credentials/recovery-code.js';
import { normalizeTotpCode, totpStepAt } from '../../../src/domain/credentials/totp-factor.js';
import { isDomainError } from '../../../src/domain/shared/domain-error.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const later = (s: number) => new Date(T0.getTime() + s * 1000);

function challenge(input: Partial<MfaChallenge> = {}): MfaChallenge {
  return { userId: 'u1', tenantId: null, amr: ['pwd'], enrolmentRequired: false, providerSession: null, succeeds: null, attempts: 0, expiresAt: later(300), consumedAt: null, ...input };
}

describe('recovery codes', () => {
  it('carry at least 50 bits (60) in the xxxx-xxxx-xxxx format from the safe alphabet', () => {
    expect(RECOVERY_CODE_BITS).toBeGreaterThanOrEqual(50);
    expect(RECOVERY_CODE_BITS).toBe(60);
    const code = recoveryCodeFromBytes(Uint8Array.from({ length: 12 }, (_, i) => i * 37));
    expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
  });

  it('normalizes what people type: case, separators, Crockford look-alikes; refuses the rest', () => {
    expect(normalizeRecoveryCode('ABCD-EFGH-JKMN')).toBe('abcdefghjkmn');
    expect(normalizeRecoveryCode(' abcd efgh jkmn ')).toBe('abcdefghjkmn');
    expect(normalizeRecoveryCode('OIL0-1111-2222')).toBe('011011112222');
    expect(normalizeRecoveryCode('abcd-efgh-jkm')).toBeNull();
    expect(normalizeRecoveryCode('abcd-efgh-jkmu')).toBeNull();
    expect(normalizeRecoveryCode('')).toBeNull();
  });
});

describe('TOTP codes', () => {
  it('accept six digits (spaces and dashes dropped) and nothing else', () => {
    expect(normalizeTotpCode('123456')).toBe('123456');
    expect(normalizeTotpCode(' 123 456 ')).toBe('123456');
    expect(normalizeTotpCode('123-456')).toBe('123456');
    for (const bad of ['12345', '1234567', 'abcdef', '١٢٣٤٥٦', '', '12345a']) expect(normalizeTotpCode(bad)).toBeNull();
  });

  it('count 30-second steps from the epoch', () => {
    expect(totpStepAt(new Date(59_999))).toBe(1);
    expect(totpStepAt(new Date(60_000))).toBe(2);
  });
});

describe('MFA challenge transitions', () => {
  it('count failed attempts; the fifth kills the challenge', () => {
    let c = challenge();
    for (let i = 1; i < MFA_CHALLENGE_MAX_ATTEMPTS; i++) {
      c = applyMfaChallengeEvent(c, 'attempt_failed', later(1));
      expect([c.attempts, mfaChallengeState(c, later(1))]).toEqual([i, 'pending']);
    }
    c = applyMfaChallengeEvent(c, 'attempt_failed', later(1));
    expect(mfaChallengeState(c, later(1))).toBe('consumed');
    expect(() => applyMfaChallengeEvent(c, 'attempt_succeeded', later(2))).toThrow();
  });

  it('complete once with the second factor added to amr; expired or consumed challenges refuse every event', () => {
    const done = applyMfaChallengeEvent(challenge(), 'attempt_succeeded', later(1), 'totp');
    expect(done.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(mfaChallengeState(done, later(1))).toBe('consumed');
    const error = (() => {
      try {
        applyMfaChallengeEvent(done, 'attempt_succeeded', later(1));
      } catch (e) {
        return e;
      }
    })();
    expect(isDomainError(error, 'MFA_CHALLENGE_INVALID')).toBe(true);
    expect(mfaChallengeState(challenge(), later(300))).toBe('expired');
    expect(() => applyMfaChallengeEvent(challenge(), 'attempt_failed', later(300))).toThrow();
    expect(mfaChallengeState(challenge({ attempts: 5 }), later(1))).toBe('exhausted');
  });

  it('treat otp/mfa as a second factor, never a magic link or a password alone', () => {
    expect(hasSecondFactor(['pwd'])).toBe(false);
    expect(hasSecondFactor(['email'])).toBe(false);
    expect(hasSecondFactor(['pwd', 'otp'])).toBe(true);
    expect(hasSecondFactor(['email', 'mfa'])).toBe(true);
    expect(amrWithSecondFactor(['email'], 'recovery_code')).toEqual(['email', 'mfa']);
  });
});
