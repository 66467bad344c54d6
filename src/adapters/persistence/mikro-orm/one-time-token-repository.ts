import type { OneTimeTokenRepository } from '../../../application/ports/one-time-token-repository.port.js';
import type { OneTimeToken, OneTimeTokenPurpose } from '../../../domain/credentials/one-time-token.js';
import { translated } from './constraint-errors.js';
import { date, dateOrNull, json, text, textOrNull, type RawRow } from './raw-row.js';
import { OneTimeTokenSchema } from './schema/one-time-token.schema.js';
import type { TransactionScope } from './transaction-scope.js';

/** Single-use tokens in PostgreSQL, stored by SHA-256 only. */
export class MikroOrmOneTimeTokenRepository implements OneTimeTokenRepository {
  constructor(private readonly scope: TransactionScope) {}

  async create(token: OneTimeToken): Promise<void> {
    await translated(() => this.scope.write((em) => em.insert(OneTimeTokenSchema, { ...token })));
  }

  async peek(purpose: OneTimeTokenPurpose, tokenHash: string, now: Date): Promise<OneTimeToken | null> {
    const row = await this.scope
      .em()
      .findOne(OneTimeTokenSchema, { tokenHash, purpose, consumedAt: null, expiresAt: { $gt: now } }, { disableIdentityMap: true });
    return row
      ? {
          id: row.id,
          purpose: row.purpose,
          tokenHash: row.tokenHash,
          userId: row.userId ?? null,
          email: row.email ?? null,
          tenantId: row.tenantId ?? null,
          payload: row.payload,
          createdAt: row.createdAt,
          expiresAt: row.expiresAt,
          consumedAt: row.consumedAt ?? null,
        }
      : null;
  }

  async consume(purpose: OneTimeTokenPurpose, tokenHash: string, now: Date): Promise<OneTimeToken | null> {
    // Burn it atomically: one statement checks and marks, so two consumers can never both win.
    const rows = await this.scope
      .em()
      .execute<RawRow[]>(
        'update one_time_tokens set consumed_at = ? where token_hash = ? and purpose = ? and consumed_at is null and expires_at > ? returning *',
        [now, tokenHash, purpose, now],
      );
    const row = rows[0];
    return row ? toOneTimeToken(row) : null;
  }

  consumeAllForUser(userId: string, purpose: OneTimeTokenPurpose, now: Date): Promise<number> {
    return this.scope.em().nativeUpdate(OneTimeTokenSchema, { userId, purpose, consumedAt: null, expiresAt: { $gt: now } }, { consumedAt: now });
  }

  consumeAllForUserInTenant(userId: string, purpose: OneTimeTokenPurpose, tenantId: string | null, now: Date): Promise<number> {
    // `tenantId: null` is rendered as `tenant_id is null`: a link naming no organization is its own group.
    return this.scope.em().nativeUpdate(OneTimeTokenSchema, { userId, purpose, tenantId, consumedAt: null, expiresAt: { $gt: now } }, { consumedAt: now });
  }

  async countAttempt(purpose: OneTimeTokenPurpose, tokenHash: string, maxAttempts: number, now: Date): Promise<{ token: OneTimeToken; attempts: number } | null> {
    // Count before the guess is checked, in one statement: parallel guesses cannot exceed the limit.
    const rows = await this.scope
      .em()
      .execute<RawRow[]>(
        'update one_time_tokens set attempts = attempts + 1 where token_hash = ? and purpose = ? and consumed_at is null and expires_at > ? and attempts < ? returning *',
        [tokenHash, purpose, now, maxAttempts],
      );
    const row = rows[0];
    return row ? { token: toOneTimeToken(row), attempts: Number(row['attempts']) } : null;
  }

  deleteExpired(before: Date): Promise<number> {
    return this.scope.em().nativeDelete(OneTimeTokenSchema, { expiresAt: { $lt: before } });
  }
}

function toOneTimeToken(row: RawRow): OneTimeToken {
  return {
    id: text(row, 'id'),
    purpose: text(row, 'purpose') as OneTimeTokenPurpose,
    tokenHash: text(row, 'token_hash'),
    userId: textOrNull(row, 'user_id'),
    email: textOrNull(row, 'email'),
    tenantId: textOrNull(row, 'tenant_id'),
    payload: json<OneTimeToken['payload']>(row, 'payload'),
    createdAt: date(row, 'created_at'),
    expiresAt: date(row, 'expires_at'),
    consumedAt: dateOrNull(row, 'consumed_at'),
  };
}
