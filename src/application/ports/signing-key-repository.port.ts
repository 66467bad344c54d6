import type { SigningKey } from '../../domain/credentials/signing-key.js';

/** Persistence of access-token signing keys. */
export interface SigningKeyRepository {
  /** All stored keys, newest first. */
  list(): Promise<SigningKey[]>;
  /** Inserts or updates a key by kid. */
  save(key: SigningKey): Promise<void>;
  /** Deletes keys by kid. */
  delete(kids: readonly string[]): Promise<void>;
}
