import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SigningKey } from '../../src/domain/credentials/signing-key.js';
import { type ContractSuite, at, useStore } from './fixtures.js';

function newKey(createdAt: Date): SigningKey {
  return {
    kid: randomUUID(),
    algorithm: 'EdDSA',
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'dGVzdA' },
    privateKey: 'encrypted:private-jwk',
    status: 'active',
    createdAt,
    retiredAt: null,
  };
}

export const signingKeyRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`SigningKeyRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    async function mine(kids: string[]): Promise<SigningKey[]> {
      return (await store().signingKeys.list()).filter((k) => kids.includes(k.kid));
    }

    it('saves keys and lists them newest first', async () => {
      const [older, newer] = [newKey(at(-100)), newKey(at(100))];
      await store().signingKeys.save(older);
      await store().signingKeys.save(newer);
      expect(await mine([older.kid, newer.kid])).toEqual([newer, older]);
    });

    it('updates a key by kid (retiring it)', async () => {
      const key = newKey(at(0));
      await store().signingKeys.save(key);
      const retired: SigningKey = { ...key, status: 'retiring', retiredAt: at(50) };
      await store().signingKeys.save(retired);
      expect(await mine([key.kid])).toEqual([retired]);
    });

    it('deletes keys by kid, ignoring unknown ones and empty lists', async () => {
      const [a, b, c] = [newKey(at(1)), newKey(at(2)), newKey(at(3))];
      for (const k of [a, b, c]) await store().signingKeys.save(k);
      await store().signingKeys.delete([a.kid, c.kid, 'missing']);
      await store().signingKeys.delete([]);
      expect(await mine([a.kid, b.kid, c.kid])).toEqual([b]);
    });

    it('hands out copies', async () => {
      const key = newKey(at(7));
      await store().signingKeys.save(key);
      const [listed] = await mine([key.kid]);
      if (listed) listed.publicJwk['x'] = 'tampered';
      key.privateKey = 'changed after save';
      expect(await mine([key.kid])).toEqual([{ ...key, privateKey: 'encrypted:private-jwk' }]);
    });
  });
};
