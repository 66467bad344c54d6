import type { SigningKeyRepository } from '../../../application/ports/signing-key-repository.port.js';
import type { SigningKey } from '../../../domain/credentials/signing-key.js';
import { translated } from './constraint-errors.js';
import { SigningKeySchema } from './schema/signing-key.schema.js';
import type { TransactionScope } from './transaction-scope.js';

/** Access-token signing keys in PostgreSQL. */
export class MikroOrmSigningKeyRepository implements SigningKeyRepository {
  constructor(private readonly scope: TransactionScope) {}

  async list(): Promise<SigningKey[]> {
    const rows = await this.scope.em().find(SigningKeySchema, {}, { disableIdentityMap: true, orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }] });
    return rows.map((row) => ({
      kid: row.kid,
      algorithm: row.algorithm,
      publicJwk: row.publicJwk,
      privateKey: row.privateKey,
      status: row.status,
      createdAt: row.createdAt,
      retiredAt: row.retiredAt ?? null,
    }));
  }

  async save(key: SigningKey): Promise<void> {
    await translated(() =>
      this.scope.write((em) =>
        em.execute(
          `insert into signing_keys (kid, algorithm, public_jwk, private_key, status, created_at, retired_at) values (?, ?, ?::jsonb, ?, ?, ?, ?)
           on conflict (kid) do update set algorithm = excluded.algorithm, public_jwk = excluded.public_jwk, private_key = excluded.private_key,
             status = excluded.status, created_at = excluded.created_at, retired_at = excluded.retired_at`,
          [key.kid, key.algorithm, JSON.stringify(key.publicJwk), key.privateKey, key.status, key.createdAt, key.retiredAt],
        ),
      ),
    );
  }

  async delete(kids: readonly string[]): Promise<void> {
    if (kids.length === 0) return;
    await this.scope.em().nativeDelete(SigningKeySchema, { kid: { $in: [...kids] } });
  }
}
