import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { PasswordCheck, PasswordHasher } from '../../application/ports/password-hasher.port.js';
import type { HashWorkerPool } from './hash-worker-pool.js';
import { formatHash, parseHash, sameParams, type ScryptParams } from './scrypt-params.js';

const KEYLEN = 32;

/**
 * scrypt from node:crypto behind a bounded worker pool. Passwords are NFKC-normalized
 * (NIST 800-63B) and never truncated. Hashes made with other parameters still verify
 * and are flagged for rehash.
 */
export class ScryptPasswordHasher implements PasswordHasher {
  private dummy: string | null = null;

  constructor(private readonly pool: HashWorkerPool, private readonly params: ScryptParams) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const hash = await this.pool.scrypt(password.normalize('NFKC'), salt, this.params, KEYLEN);
    return formatHash(this.params, salt, hash);
  }

  async verify(password: string, storedHash: string): Promise<PasswordCheck> {
    const parsed = parseHash(storedHash);
    if (!parsed) {
      await this.verifyDummy(password);
      return { valid: false, needsRehash: false };
    }
    const candidate = await this.pool.scrypt(password.normalize('NFKC'), parsed.salt, parsed.params, parsed.hash.length);
    const valid = candidate.length === parsed.hash.length && timingSafeEqual(candidate, parsed.hash);
    return { valid, needsRehash: valid && !sameParams(parsed.params, this.params) };
  }

  async verifyDummy(password: string): Promise<void> {
    this.dummy ??= formatHash(this.params, randomBytes(16), randomBytes(KEYLEN));
    const parsed = parseHash(this.dummy)!;
    await this.pool.scrypt(password.normalize('NFKC'), parsed.salt, parsed.params, KEYLEN);
  }
}
