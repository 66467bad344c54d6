/**
 * Remembers tokens whose signature was already verified, until they expire.
 * Safe because a token string is immutable: the same bytes verify the same way.
 * Revocation is checked separately on every request. Bounded; oldest entries go first.
 */
export class VerifiedTokenCache<T extends { exp: number }> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly maxEntries: number) {}

  get(token: string, nowSeconds: number): T | undefined {
    const hit = this.entries.get(token);
    if (hit === undefined) return undefined;
    if (hit.exp <= nowSeconds) {
      this.entries.delete(token);
      return undefined;
    }
    return hit;
  }

  set(token: string, claims: T): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, claims);
  }

  clear(): void {
    this.entries.clear();
  }
}
