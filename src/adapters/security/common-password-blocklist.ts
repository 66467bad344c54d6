import { dictionary } from '@zxcvbn-ts/language-common';
import type { PasswordBlocklist } from '../../application/ports/password-blocklist.port.js';

/**
 * The ~49,000 most common passwords from the zxcvbn-ts common dictionary, bundled
 * with the package (no network at run time). Loaded once into a Set.
 */
export class CommonPasswordBlocklist implements PasswordBlocklist {
  private readonly passwords: ReadonlySet<string>;

  constructor(extra: readonly string[] = []) {
    const list = (dictionary as Record<string, readonly string[]>)['passwords-common'] ?? [];
    this.passwords = new Set([...list, ...extra].map((p) => p.toLowerCase()));
  }

  isCommon(password: string): boolean {
    return this.passwords.has(password.normalize('NFKC').toLowerCase());
  }
}
