/** How many recovery codes a user holds after enabling TOTP or regenerating. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * Crockford's base32 alphabet in lower case: no i, l, o or u, so nothing is confused when a
 * code is read off paper (and typed 0/1 stand in for o and i/l, see normalizeRecoveryCode).
 */
export const RECOVERY_CODE_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Symbols per code: 12 × 5 bits = 60 bits of entropy, shown as `xxxx-xxxx-xxxx`. */
export const RECOVERY_CODE_SYMBOLS = 12;

/** Entropy of one code in bits. */
export const RECOVERY_CODE_BITS = RECOVERY_CODE_SYMBOLS * Math.log2(RECOVERY_CODE_ALPHABET.length);

/**
 * One stored recovery code: a hash only, spent once. The plain codes are shown once, when
 * generated, and never again.
 */
export interface RecoveryCode {
  id: string;
  userId: string;
  codeHash: string;
  createdAt: Date;
  usedAt: Date | null;
}

/**
 * Turns random bytes (one per symbol, from a CSPRNG the caller owns) into a display code.
 * 256 is a multiple of 32, so `byte % 32` is uniform: no modulo bias.
 */
export function recoveryCodeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < RECOVERY_CODE_SYMBOLS) throw new RangeError(`need ${RECOVERY_CODE_SYMBOLS} random bytes`);
  let symbols = '';
  for (let i = 0; i < RECOVERY_CODE_SYMBOLS; i++) symbols += RECOVERY_CODE_ALPHABET[bytes[i]! % RECOVERY_CODE_ALPHABET.length];
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

/**
 * The canonical form of a typed code (lower case, separators dropped, Crockford's look-alikes
 * mapped), which is what gets hashed; null when it cannot be a code.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const canonical = input
    .toLowerCase()
    .replace(/[\s-]/g, '')
    .replace(/o/g, '0')
    .replace(/[il]/g, '1');
  if (canonical.length !== RECOVERY_CODE_SYMBOLS) return null;
  for (const c of canonical) if (!RECOVERY_CODE_ALPHABET.includes(c)) return null;
  return canonical;
}
