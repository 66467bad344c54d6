import type { SigningKeyRepository } from '../../../application/ports/signing-key-repository.port.js';
import type { SigningKey } from '../../../domain/credentials/signing-key.js';
import { copyOf, type InMemoryStore } from './in-memory-store.js';

export class InMemorySigningKeyRepository implements SigningKeyRepository {
  constructor(private readonly store: InMemoryStore) {}

  list(): Promise<SigningKey[]> {
    return this.store.statement((t) =>
      [...t.signingKeys.values()]
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.kid < b.kid ? 1 : a.kid > b.kid ? -1 : 0))
        .map(copyOf),
    );
  }

  save(key: SigningKey): Promise<void> {
    return this.store.statement((t) => {
      t.signingKeys.set(key.kid, copyOf(key));
    });
  }

  delete(kids: readonly string[]): Promise<void> {
    return this.store.statement((t) => {
      for (const kid of kids) t.signingKeys.delete(kid);
    });
  }
}
