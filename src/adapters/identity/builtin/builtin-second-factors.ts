import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { RecoveryCodeRepository } from '../../../application/ports/recovery-code-repository.port.js';
import type { MfaEnrolment, SecondFactorAuthority, TotpSetup } from '../../../application/ports/second-factor-authority.port.js';
import type { TotpFactorRepository } from '../../../application/ports/totp-factor-repository.port.js';
import type { UnitOfWork } from '../../../application/ports/unit-of-work.port.js';
import {
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  RECOVERY_CODE_SYMBOLS,
  recoveryCodeFromBytes,
  type RecoveryCode,
} from '../../../domain/credentials/recovery-code.js';
import { isTotpActive, normalizeTotpCode, TOTP_DIGITS, TOTP_DRIFT_STEPS, TOTP_PERIOD_SECONDS } from '../../../domain/credentials/totp-factor.js';
import type { Clock } from '../../../domain/shared/clock.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { TotpSecretCodec } from './totp-secret-codec.js';

/** The stores and services BuiltinSecondFactors works with. */
export interface BuiltinSecondFactorsDeps {
  totpFactors: TotpFactorRepository;
  recoveryCodes: RecoveryCodeRepository;
  uow: UnitOfWork;
  clock: Clock;
}

/** How the factor presents itself in authenticator apps, and how secrets are kept. */
export interface BuiltinSecondFactorsOptions {
  /** Shown in authenticator apps above the account label. */
  issuer: string;
  /** SIGNING_KEY_ENCRYPTION_KEY; without it secrets are stored unencrypted. */
  encryptionKey?: string | undefined;
}

/**
 * TOTP (RFC 6238 through otplib) and recovery codes, kept by Gatehouse itself. Codes are
 * checked against the injected clock; an accepted code's time step is burnt atomically in the
 * store, so each code is good once. Recovery codes are stored as SHA-256 only.
 */
export class BuiltinSecondFactors implements SecondFactorAuthority {
  private readonly codec: TotpSecretCodec;

  constructor(
    private readonly deps: BuiltinSecondFactorsDeps,
    private readonly options: BuiltinSecondFactorsOptions,
  ) {
    this.codec = new TotpSecretCodec(options.encryptionKey);
  }

  async mfaEnrolment(userId: string): Promise<MfaEnrolment> {
    const factor = await this.deps.totpFactors.findByUser(userId);
    if (!isTotpActive(factor)) return { totp: false, recoveryCodesRemaining: 0 };
    return { totp: true, recoveryCodesRemaining: await this.deps.recoveryCodes.countUnused(userId) };
  }

  async beginTotpEnrolment(userId: string, label: string): Promise<TotpSetup> {
    const secret = generateSecret(); // 20 random bytes (160 bits, RFC 4226's recommendation), base32
    const stored = await this.deps.totpFactors.savePending({
      id: randomUUID(),
      userId,
      secret: this.codec.seal(secret, userId),
      createdAt: this.deps.clock.now(),
      confirmedAt: null,
      lastUsedStep: null,
    });
    if (!stored) throw new DomainError('MFA_ALREADY_ENABLED', 'An authenticator app is already enabled; disable it first');
    const uri = generateURI({ issuer: this.options.issuer, label, secret, digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });
    return { secret, uri, qrCodeDataUrl: await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2 }) };
  }

  async confirmTotpEnrolment(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    const factor = await this.deps.totpFactors.findByUser(userId);
    if (isTotpActive(factor)) throw new DomainError('MFA_ALREADY_ENABLED', 'An authenticator app is already enabled');
    if (!factor) throw invalidCode();
    const step = await this.matchingStep(this.codec.open(factor.secret, userId), code, null);
    if (step === null) throw invalidCode();
    return this.deps.uow.run(async () => {
      // Only the setup this code belongs to, and only once: a newer setup or a parallel confirm wins.
      if (!(await this.deps.totpFactors.confirm(userId, factor.id, step, this.deps.clock.now()))) throw invalidCode();
      return { recoveryCodes: await this.replaceRecoveryCodes(userId) };
    });
  }

  async verifyTotp(userId: string, code: string): Promise<null> {
    const factor = await this.deps.totpFactors.findByUser(userId);
    if (!isTotpActive(factor)) throw invalidCode();
    const step = await this.matchingStep(this.codec.open(factor.secret, userId), code, factor.lastUsedStep);
    // Burn the step in the store: of two requests with the same code, one passes.
    if (step === null || !(await this.deps.totpFactors.acceptStep(userId, step))) throw invalidCode();
    return null;
  }

  async verifyRecoveryCode(userId: string, code: string): Promise<null> {
    const canonical = normalizeRecoveryCode(code);
    if (canonical === null || !(await this.deps.recoveryCodes.spend(userId, hashRecoveryCode(userId, canonical), this.deps.clock.now()))) {
      throw invalidCode();
    }
    return null;
  }

  async disableTotp(userId: string): Promise<void> {
    await this.deps.uow.run(async () => {
      await this.deps.totpFactors.delete(userId);
      await this.deps.recoveryCodes.deleteAll(userId);
    });
  }

  async regenerateRecoveryCodes(userId: string): Promise<string[]> {
    return this.deps.uow.run(async () => {
      if (!isTotpActive(await this.deps.totpFactors.findByUser(userId))) throw new DomainError('MFA_NOT_ENABLED', 'No authenticator app is enabled');
      return this.replaceRecoveryCodes(userId);
    });
  }

  /** The time step a code matches (one step of drift either way, newer than `after`), or null. */
  private async matchingStep(secret: string, code: string, after: number | null): Promise<number | null> {
    const token = normalizeTotpCode(code);
    // otplib throws on malformed tokens: only six digits reach it.
    if (token === null) return null;
    try {
      const result = await verify({
        secret,
        token,
        digits: TOTP_DIGITS,
        period: TOTP_PERIOD_SECONDS,
        epoch: Math.floor(this.deps.clock.now().getTime() / 1000),
        epochTolerance: TOTP_DRIFT_STEPS * TOTP_PERIOD_SECONDS,
        ...(after !== null ? { afterTimeStep: after } : {}),
      });
      // The union includes HOTP results, which have no time step; TOTP results always do.
      return result.valid && 'timeStep' in result ? result.timeStep : null;
    } catch {
      return null;
    }
  }

  private async replaceRecoveryCodes(userId: string): Promise<string[]> {
    const now = this.deps.clock.now();
    const plain = Array.from({ length: RECOVERY_CODE_COUNT }, () => recoveryCodeFromBytes(randomBytes(RECOVERY_CODE_SYMBOLS)));
    const records: RecoveryCode[] = plain.map((code) => ({
      id: randomUUID(),
      userId,
      codeHash: hashRecoveryCode(userId, normalizeRecoveryCode(code)!),
      createdAt: now,
      usedAt: null,
    }));
    await this.deps.recoveryCodes.replaceAll(userId, records);
    return plain;
  }
}

/**
 * SHA-256 of `userId:code`. A fast hash is enough: a code carries 60 random bits, so even an
 * offline attacker holding the table faces ~2^60 hashes per code, and online guesses are capped
 * at five per sign-in challenge (each after a correct password). A slow hash would instead cost
 * up to ten password-grade hashes per attempt, and would rule out the single indexed
 * `UPDATE … WHERE code_hash = …` that spends a code atomically. The user id keeps equal codes of
 * two users apart and makes a precomputed table useless across users.
 */
function hashRecoveryCode(userId: string, canonical: string): string {
  return createHash('sha256').update(`${userId}:${canonical}`, 'utf8').digest('hex');
}

function invalidCode(): DomainError {
  return new DomainError('MFA_CODE_INVALID', 'The code is not valid');
}
