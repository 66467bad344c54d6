import { describe, expect, it } from 'vitest';
import { type ContractSuite, at, newOneTimeToken, newUser, useStore } from './fixtures.js';

/** OneTimeTokenRepository.countAttempt: the MFA challenge's attempt limit, enforced in the store. */
export const oneTimeTokenAttemptsContract: ContractSuite = (name, makePersistence) => {
  describe(`OneTimeTokenRepository attempts contract [${name}]`, () => {
    const store = useStore(makePersistence);

    it('counts attempts up to the limit, then refuses; consuming still works within the limit', async () => {
      const user = newUser();
      await store().users.save(user);
      const token = newOneTimeToken({ purpose: 'mfa_challenge', userId: user.id });
      await store().oneTimeTokens.create(token);
      for (let i = 1; i <= 5; i++) {
        const counted = await store().oneTimeTokens.countAttempt('mfa_challenge', token.tokenHash, 5, at(1));
        expect(counted?.attempts).toBe(i);
        expect(counted?.token).toEqual(token);
      }
      expect(await store().oneTimeTokens.countAttempt('mfa_challenge', token.tokenHash, 5, at(1))).toBeNull();
      // Counting never consumes: the holder of the fifth attempt may still succeed.
      expect(await store().oneTimeTokens.consume('mfa_challenge', token.tokenHash, at(2))).not.toBeNull();
    });

    it('refuses consumed, expired, other-purpose and unknown tokens', async () => {
      const token = newOneTimeToken({ purpose: 'mfa_challenge', expiresAt: at(60) });
      await store().oneTimeTokens.create(token);
      expect(await store().oneTimeTokens.countAttempt('magic_link', token.tokenHash, 5, at(1))).toBeNull();
      expect(await store().oneTimeTokens.countAttempt('mfa_challenge', token.tokenHash, 5, at(60))).toBeNull();
      expect(await store().oneTimeTokens.countAttempt('mfa_challenge', 'f'.repeat(64), 5, at(1))).toBeNull();
      await store().oneTimeTokens.consume('mfa_challenge', token.tokenHash, at(2));
      expect(await store().oneTimeTokens.countAttempt('mfa_challenge', token.tokenHash, 5, at(3))).toBeNull();
    });

    it('never lets 20 concurrent attempts exceed the limit of 5', async () => {
      const token = newOneTimeToken({ purpose: 'mfa_challenge' });
      await store().oneTimeTokens.create(token);
      const results = await Promise.all(Array.from({ length: 20 }, () => store().oneTimeTokens.countAttempt('mfa_challenge', token.tokenHash, 5, at(1))));
      expect(results.filter((r) => r !== null).map((r) => r!.attempts).sort()).toEqual([1, 2, 3, 4, 5]);
    });
  });
};
