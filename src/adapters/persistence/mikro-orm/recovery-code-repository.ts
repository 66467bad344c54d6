import type { RecoveryCodeRepository } from '../../../application/ports/recovery-code-repository.port.js';
import type { RecoveryCode } from '../../../domain/credentials/recovery-code.js';
import { translated } from './constraint-errors.js';
import type { RawRow } from './raw-row.js';
import { RecoveryCodeSchema } from './schema/recovery-code.schema.js';
import type { TransactionScope } from './transaction-scope.js';

/** Recovery-code hashes in PostgreSQL. */
export class MikroOrmRecoveryCodeRepository implements RecoveryCodeRepository {
  constructor(private readonly scope: TransactionScope) {}

  replaceAll(userId: string, codes: readonly RecoveryCode[]): Promise<void> {
    return translated(() =>
      this.scope.guarded(async (em) => {
        await em.nativeDelete(RecoveryCodeSchema, { userId });
        if (codes.length > 0) await em.insertMany(RecoveryCodeSchema, codes.map((code) => ({ ...code })));
      }),
    );
  }

  async spend(userId: string, codeHash: string, now: Date): Promise<boolean> {
    // Burn it atomically: one statement checks and marks, so a code is spent by one caller only.
    const rows = await this.scope
      .em()
      .execute<RawRow[]>('update recovery_codes set used_at = ? where user_id = ? and code_hash = ? and used_at is null returning id', [now, userId, codeHash]);
    return rows.length === 1;
  }

  countUnused(userId: string): Promise<number> {
    return this.scope.em().count(RecoveryCodeSchema, { userId, usedAt: null });
  }

  deleteAll(userId: string): Promise<number> {
    return this.scope.em().nativeDelete(RecoveryCodeSchema, { userId });
  }
}
