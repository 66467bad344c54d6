import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RecoveryCode } from '../../src/domain/credentials/recovery-code.js';
import type { TotpFactor } from '../../src/domain/credentials/totp-factor.js';
import { type ContractSuite, T0, at, expectCode, newUser, useStore } from './fixtures.js';

function pendingFactor(userId: string, createdAt = T0): TotpFactor {
  return { id: randomUUID(), userId, secret: `plain:${randomBytes(20).toString('hex')}`, createdAt, confirmedAt: null, lastUsedStep: null };
}

function codes(userId: string, count = 10): RecoveryCode[] {
  return Array.from({ length: count }, () => ({ id: randomUUID(), userId, codeHash: randomBytes(32).toString('hex'), createdAt: T0, usedAt: null }));
}

/** TotpFactorRepository and RecoveryCodeRepository: replay protection and single use live here. */
export const secondFactorRepositoriesContract: ContractSuite = (name, makePersistence) => {
  describe(`TotpFactorRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    async function user() {
      const u = newUser();
      await store().users.save(u);
      return u;
    }

    it('stores a pending factor, replaces it while pending, and never replaces an active one', async () => {
      const u = await user();
      expect(await store().totpFactors.findByUser(u.id)).toBeNull();
      const first = pendingFactor(u.id);
      expect(await store().totpFactors.savePending(first)).toBe(true);
      expect(await store().totpFactors.findByUser(u.id)).toEqual(first);
      const second = pendingFactor(u.id, at(5));
      expect(await store().totpFactors.savePending(second)).toBe(true);
      expect(await store().totpFactors.findByUser(u.id)).toEqual(second);
      // A confirmation of the superseded setup changes nothing.
      expect(await store().totpFactors.confirm(u.id, first.id, 100, at(6))).toBe(false);
      expect(await store().totpFactors.confirm(u.id, second.id, 100, at(6))).toBe(true);
      expect(await store().totpFactors.confirm(u.id, second.id, 101, at(7))).toBe(false);
      expect(await store().totpFactors.findByUser(u.id)).toEqual({ ...second, confirmedAt: at(6), lastUsedStep: 100 });
      expect(await store().totpFactors.savePending(pendingFactor(u.id))).toBe(false);
      expect((await store().totpFactors.findByUser(u.id))?.id).toBe(second.id);
    });

    it('accepts each time step once, only newer steps, only for an active factor (replay refused)', async () => {
      const u = await user();
      const factor = pendingFactor(u.id);
      await store().totpFactors.savePending(factor);
      expect(await store().totpFactors.acceptStep(u.id, 10)).toBe(false);
      await store().totpFactors.confirm(u.id, factor.id, 10, at(1));
      expect(await store().totpFactors.acceptStep(u.id, 10)).toBe(false);
      expect(await store().totpFactors.acceptStep(u.id, 9)).toBe(false);
      expect(await store().totpFactors.acceptStep(u.id, 11)).toBe(true);
      expect(await store().totpFactors.acceptStep(u.id, 11)).toBe(false);
      expect((await store().totpFactors.findByUser(u.id))?.lastUsedStep).toBe(11);
    });

    it('lets exactly one of 10 concurrent uses of one step win', async () => {
      const u = await user();
      const factor = pendingFactor(u.id);
      await store().totpFactors.savePending(factor);
      await store().totpFactors.confirm(u.id, factor.id, 1, at(1));
      const results = await Promise.all(Array.from({ length: 10 }, () => store().totpFactors.acceptStep(u.id, 2)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('deletes a factor, and refuses one for an unknown user', async () => {
      const u = await user();
      await store().totpFactors.savePending(pendingFactor(u.id));
      expect(await store().totpFactors.delete(u.id)).toBe(true);
      expect(await store().totpFactors.delete(u.id)).toBe(false);
      expect(await store().totpFactors.findByUser(u.id)).toBeNull();
      await expectCode(store().totpFactors.savePending(pendingFactor('no-such-user')), 'USER_NOT_FOUND');
    });

    it('keeps a failed savePending from breaking the surrounding unit of work', async () => {
      const u = await user();
      await store().uow.run(async () => {
        await expectCode(store().totpFactors.savePending(pendingFactor('no-such-user')), 'USER_NOT_FOUND');
        expect(await store().totpFactors.savePending(pendingFactor(u.id))).toBe(true);
      });
      expect(await store().totpFactors.findByUser(u.id)).not.toBeNull();
    });
  });

  describe(`RecoveryCodeRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    async function user() {
      const u = newUser();
      await store().users.save(u);
      return u;
    }

    it('spends each code once, only the owner’s, and counts what is left', async () => {
      const [a, b] = [await user(), await user()];
      const mine = codes(a.id);
      await store().recoveryCodes.replaceAll(a.id, mine);
      expect(await store().recoveryCodes.countUnused(a.id)).toBe(10);
      expect(await store().recoveryCodes.spend(b.id, mine[0]!.codeHash, at(1))).toBe(false);
      expect(await store().recoveryCodes.spend(a.id, mine[0]!.codeHash, at(1))).toBe(true);
      expect(await store().recoveryCodes.spend(a.id, mine[0]!.codeHash, at(2))).toBe(false);
      expect(await store().recoveryCodes.spend(a.id, 'f'.repeat(64), at(2))).toBe(false);
      expect(await store().recoveryCodes.countUnused(a.id)).toBe(9);
      expect(await store().recoveryCodes.countUnused(b.id)).toBe(0);
    });

    it('lets exactly one of 10 concurrent spenders of one code win', async () => {
      const u = await user();
      const mine = codes(u.id, 3);
      await store().recoveryCodes.replaceAll(u.id, mine);
      const results = await Promise.all(Array.from({ length: 10 }, () => store().recoveryCodes.spend(u.id, mine[1]!.codeHash, at(1))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('replaces every code (used or not) and deletes them all', async () => {
      const u = await user();
      const old = codes(u.id);
      await store().recoveryCodes.replaceAll(u.id, old);
      await store().recoveryCodes.spend(u.id, old[0]!.codeHash, at(1));
      const fresh = codes(u.id);
      await store().recoveryCodes.replaceAll(u.id, fresh);
      expect(await store().recoveryCodes.countUnused(u.id)).toBe(10);
      expect(await store().recoveryCodes.spend(u.id, old[1]!.codeHash, at(2))).toBe(false);
      expect(await store().recoveryCodes.spend(u.id, fresh[1]!.codeHash, at(2))).toBe(true);
      expect(await store().recoveryCodes.deleteAll(u.id)).toBe(10);
      expect(await store().recoveryCodes.countUnused(u.id)).toBe(0);
    });

    it('refuses codes of an unknown user and rolls back with the unit of work', async () => {
      await expectCode(store().recoveryCodes.replaceAll('no-such-user', codes('no-such-user')), 'USER_NOT_FOUND');
      const u = await user();
      await expect(
        store().uow.run(async () => {
          await store().recoveryCodes.replaceAll(u.id, codes(u.id));
          throw new Error('after the write');
        }),
      ).rejects.toThrow('after the write');
      expect(await store().recoveryCodes.countUnused(u.id)).toBe(0);
    });
  });
};
