import type { RecoveryCodeRepository } from '../../../application/ports/recovery-code-repository.port.js';
import type { RecoveryCode } from '../../../domain/credentials/recovery-code.js';
import { constraints } from './constraint-checks.js';
import { copyOf, type InMemoryStore, type Tables } from './in-memory-store.js';

/** Recovery-code hashes in memory; spending is one atomic statement, as in SQL. */
export class InMemoryRecoveryCodeRepository implements RecoveryCodeRepository {
  constructor(private readonly store: InMemoryStore) {}

  replaceAll(userId: string, codes: readonly RecoveryCode[]): Promise<void> {
    return this.store.statement((t) => {
      constraints.userExists(t, userId);
      // The unique (user_id, code_hash) and primary keys, checked before anything is written.
      const hashes = new Set(codes.map((c) => `${c.userId}:${c.codeHash}`));
      constraints.noDuplicate(hashes.size !== codes.length || codes.some((c) => (t.recoveryCodes.get(c.id)?.userId ?? userId) !== userId));
      removeAll(t, userId);
      for (const code of codes) t.recoveryCodes.set(code.id, copyOf(code));
    });
  }

  spend(userId: string, codeHash: string, now: Date): Promise<boolean> {
    return this.store.statement((t) => {
      const code = [...t.recoveryCodes.values()].find((c) => c.userId === userId && c.codeHash === codeHash && c.usedAt === null);
      if (!code) return false;
      t.recoveryCodes.set(code.id, { ...copyOf(code), usedAt: now });
      return true;
    });
  }

  countUnused(userId: string): Promise<number> {
    return this.store.statement((t) => [...t.recoveryCodes.values()].filter((c) => c.userId === userId && c.usedAt === null).length);
  }

  deleteAll(userId: string): Promise<number> {
    return this.store.statement((t) => removeAll(t, userId));
  }
}

function removeAll(t: Tables, userId: string): number {
  let removed = 0;
  for (const [id, code] of t.recoveryCodes) {
    if (code.userId === userId) {
      t.recoveryCodes.delete(id);
      removed++;
    }
  }
  return removed;
}
