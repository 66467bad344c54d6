import type { TotpFactorRepository } from '../../../application/ports/totp-factor-repository.port.js';
import type { TotpFactor } from '../../../domain/credentials/totp-factor.js';
import { translated } from './constraint-errors.js';
import type { RawRow } from './raw-row.js';
import { TotpFactorSchema } from './schema/totp-factor.schema.js';
import type { TransactionScope } from './transaction-scope.js';

/** TOTP factors in PostgreSQL, one row per user; every change is one conditional statement. */
export class MikroOrmTotpFactorRepository implements TotpFactorRepository {
  constructor(private readonly scope: TransactionScope) {}

  async findByUser(userId: string): Promise<TotpFactor | null> {
    const row = await this.scope.em().findOne(TotpFactorSchema, { userId }, { disableIdentityMap: true });
    return row
      ? {
          id: row.id,
          userId: row.userId,
          secret: row.secret,
          createdAt: row.createdAt,
          confirmedAt: row.confirmedAt ?? null,
          lastUsedStep: row.lastUsedStep ?? null,
        }
      : null;
  }

  async savePending(factor: TotpFactor): Promise<boolean> {
    // Replaces a pending factor, never an active one: the WHERE of the upsert leaves it alone (0 rows).
    const rows = await translated(() =>
      this.scope.write((em) =>
        em.execute<RawRow[]>(
          `insert into totp_factors (user_id, id, secret, created_at, confirmed_at, last_used_step) values (?, ?, ?, ?, null, null)
           on conflict (user_id) do update set id = excluded.id, secret = excluded.secret, created_at = excluded.created_at, last_used_step = null
           where totp_factors.confirmed_at is null
           returning user_id`,
          [factor.userId, factor.id, factor.secret, factor.createdAt],
        ),
      ),
    );
    return rows.length === 1;
  }

  async confirm(userId: string, factorId: string, step: number, now: Date): Promise<boolean> {
    const rows = await this.scope
      .em()
      .execute<RawRow[]>('update totp_factors set confirmed_at = ?, last_used_step = ? where user_id = ? and id = ? and confirmed_at is null returning user_id', [
        now,
        step,
        userId,
        factorId,
      ]);
    return rows.length === 1;
  }

  async acceptStep(userId: string, step: number): Promise<boolean> {
    // Burn the step atomically: of two requests with the same code, exactly one updates the row.
    const rows = await this.scope
      .em()
      .execute<RawRow[]>(
        'update totp_factors set last_used_step = ? where user_id = ? and confirmed_at is not null and (last_used_step is null or last_used_step < ?) returning user_id',
        [step, userId, step],
      );
    return rows.length === 1;
  }

  async delete(userId: string): Promise<boolean> {
    return (await this.scope.em().nativeDelete(TotpFactorSchema, { userId })) > 0;
  }
}
