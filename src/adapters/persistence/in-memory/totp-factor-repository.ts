import type { TotpFactorRepository } from '../../../application/ports/totp-factor-repository.port.js';
import type { TotpFactor } from '../../../domain/credentials/totp-factor.js';
import { constraints } from './constraint-checks.js';
import { copyOf, type InMemoryStore } from './in-memory-store.js';

/** TOTP factors in memory, one per user; each method is one atomic statement, as in SQL. */
export class InMemoryTotpFactorRepository implements TotpFactorRepository {
  constructor(private readonly store: InMemoryStore) {}

  findByUser(userId: string): Promise<TotpFactor | null> {
    return this.store.statement((t) => this.store.one(t.totpFactors.get(userId)));
  }

  savePending(factor: TotpFactor): Promise<boolean> {
    return this.store.statement((t) => {
      constraints.userExists(t, factor.userId);
      // Like `insert … on conflict (user_id) do update … where confirmed_at is null`.
      if (t.totpFactors.get(factor.userId)?.confirmedAt) return false;
      t.totpFactors.set(factor.userId, copyOf({ ...factor, confirmedAt: null, lastUsedStep: null }));
      return true;
    });
  }

  confirm(userId: string, factorId: string, step: number, now: Date): Promise<boolean> {
    return this.store.statement((t) => {
      const factor = t.totpFactors.get(userId);
      if (!factor || factor.id !== factorId || factor.confirmedAt !== null) return false;
      t.totpFactors.set(userId, { ...copyOf(factor), confirmedAt: now, lastUsedStep: step });
      return true;
    });
  }

  acceptStep(userId: string, step: number): Promise<boolean> {
    // Burn the step in the same turn as the check: two requests with one code cannot both pass.
    return this.store.statement((t) => {
      const factor = t.totpFactors.get(userId);
      if (!factor?.confirmedAt || (factor.lastUsedStep !== null && factor.lastUsedStep >= step)) return false;
      t.totpFactors.set(userId, { ...copyOf(factor), lastUsedStep: step });
      return true;
    });
  }

  delete(userId: string): Promise<boolean> {
    return this.store.statement((t) => t.totpFactors.delete(userId));
  }
}
