import type { OneTimeTokenRepository } from '../../../application/ports/one-time-token-repository.port.js';
import type { OneTimeToken, OneTimeTokenPurpose } from '../../../domain/credentials/one-time-token.js';
import { constraints } from './constraint-checks.js';
import { copyOf, type InMemoryStore, type Tables } from './in-memory-store.js';

export class InMemoryOneTimeTokenRepository implements OneTimeTokenRepository {
  constructor(private readonly store: InMemoryStore) {}

  create(token: OneTimeToken): Promise<void> {
    return this.store.statement((t) => {
      constraints.noDuplicate(t.oneTimeTokens.has(token.id) || findByHash(t, token.tokenHash) !== undefined);
      constraints.userExists(t, token.userId);
      constraints.organizationExists(t, token.tenantId);
      t.oneTimeTokens.set(token.id, copyOf(token));
    });
  }

  peek(purpose: OneTimeTokenPurpose, tokenHash: string, now: Date): Promise<OneTimeToken | null> {
    return this.store.statement((t) => {
      const token = findByHash(t, tokenHash);
      return token && usable(token, purpose, now) ? copyOf(token) : null;
    });
  }

  consume(purpose: OneTimeTokenPurpose, tokenHash: string, now: Date): Promise<OneTimeToken | null> {
    // One synchronous step inside the store's turn: the check and the burn cannot interleave.
    return this.store.statement((t) => {
      const token = findByHash(t, tokenHash);
      if (!token || !usable(token, purpose, now)) return null;
      const consumed = { ...copyOf(token), consumedAt: now };
      t.oneTimeTokens.set(token.id, consumed);
      return copyOf(consumed);
    });
  }

  consumeAllForUser(userId: string, purpose: OneTimeTokenPurpose, now: Date): Promise<number> {
    return this.store.statement((t) => {
      const pending = [...t.oneTimeTokens.values()].filter((x) => x.userId === userId && x.purpose === purpose && x.consumedAt === null && x.expiresAt > now);
      for (const token of pending) t.oneTimeTokens.set(token.id, { ...token, consumedAt: now });
      return pending.length;
    });
  }

  consumeAllForUserInTenant(userId: string, purpose: OneTimeTokenPurpose, tenantId: string | null, now: Date): Promise<number> {
    return this.store.statement((t) => {
      const pending = [...t.oneTimeTokens.values()].filter(
        (x) => x.userId === userId && x.purpose === purpose && x.tenantId === tenantId && x.consumedAt === null && x.expiresAt > now,
      );
      for (const token of pending) t.oneTimeTokens.set(token.id, { ...token, consumedAt: now });
      return pending.length;
    });
  }

  countAttempt(purpose: OneTimeTokenPurpose, tokenHash: string, maxAttempts: number, now: Date): Promise<{ token: OneTimeToken; attempts: number } | null> {
    // Check and count in one synchronous step, as the conditional UPDATE does in the database.
    return this.store.statement((t) => {
      const token = findByHash(t, tokenHash);
      if (!token || !usable(token, purpose, now)) return null;
      const attempts = (t.oneTimeTokenAttempts.get(token.id) ?? 0) + 1;
      if (attempts > maxAttempts) return null;
      t.oneTimeTokenAttempts.set(token.id, attempts);
      return { token: copyOf(token), attempts };
    });
  }

  deleteExpired(before: Date): Promise<number> {
    return this.store.statement((t) => {
      const expired = [...t.oneTimeTokens.values()].filter((token) => token.expiresAt < before);
      for (const token of expired) t.oneTimeTokens.delete(token.id);
      return expired.length;
    });
  }
}

function findByHash(t: Tables, tokenHash: string): OneTimeToken | undefined {
  return [...t.oneTimeTokens.values()].find((token) => token.tokenHash === tokenHash);
}

function usable(token: OneTimeToken, purpose: OneTimeTokenPurpose, now: Date): boolean {
  return token.purpose === purpose && token.consumedAt === null && token.expiresAt > now;
}
