import { dictionary } from '@zxcvbn-ts/language-common';
import type { PasswordBlocklist } from '../../application/ports/password-blocklist.port.js';

/**
 * The ~49,000 most common passwords from the zxcvbn-ts common dictionary, bundled
 * with the package (no network at run time). The lookup set (~5 MB) is built on
 * first use, so a node that never sees a new password never pays for it.
 */
export class CommonPasswordBlocklist implements PasswordBlocklist {
  private passwords: ReadonlySet<string> | null = null;

  constructor(private readonly extra: readonly string[] = []) {}

  isCommon(password: string): boolean {
    this.passwords ??= new Set([...((dictionary as Record<string, readonly string[]>)['passwords-common'] ?? []), ...this.extra].map((p) => p.toLowerCase()));
    return this.passwords.has(password.normalize('NFKC').toLowerCase());
  }
}
