import { describe, expect, it } from 'vitest';
import { type ContractSuite, T0, at, expectCode, newOneTimeToken, newUser, useStore } from './fixtures.js';

export const oneTimeTokenRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`OneTimeTokenRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    it('stores a token and previews it without consuming it', async () => {
      const user = newUser();
      await store().users.save(user);
      const token = newOneTimeToken({ purpose: 'password_reset', userId: user.id });
      await store().oneTimeTokens.create(token);
      expect(await store().oneTimeTokens.peek('password_reset', token.tokenHash, at(1))).toEqual(token);
      expect(await store().oneTimeTokens.peek('password_reset', token.tokenHash, at(2))).toEqual(token);
      expect(await store().oneTimeTokens.peek('magic_link', token.tokenHash, at(1))).toBeNull();
      expect(await store().oneTimeTokens.peek('password_reset', token.tokenHash, token.expiresAt)).toBeNull();
    });

    it('consumes a token once, returning it with its payload and consumption time', async () => {
      const token = newOneTimeToken();
      await store().oneTimeTokens.create(token);
      expect(await store().oneTimeTokens.consume(token.purpose, token.tokenHash, at(5))).toEqual({ ...token, consumedAt: at(5) });
      expect(await store().oneTimeTokens.consume(token.purpose, token.tokenHash, at(6))).toBeNull();
      expect(await store().oneTimeTokens.peek(token.purpose, token.tokenHash, at(6))).toBeNull();
    });

    it('refuses expired tokens, tokens of another purpose and unknown hashes', async () => {
      const token = newOneTimeToken({ purpose: 'activation', expiresAt: at(60) });
      await store().oneTimeTokens.create(token);
      expect(await store().oneTimeTokens.consume('password_reset', token.tokenHash, at(1))).toBeNull();
      expect(await store().oneTimeTokens.consume('activation', token.tokenHash, at(60))).toBeNull();
      expect(await store().oneTimeTokens.consume('activation', 'f'.repeat(64), at(1))).toBeNull();
      // Still usable by its own purpose before expiry: the refusals above burnt nothing.
      expect(await store().oneTimeTokens.consume('activation', token.tokenHash, at(59))).not.toBeNull();
    });

    it('lets exactly one of 10 concurrent consumers win', async () => {
      const token = newOneTimeToken({ purpose: 'mfa_challenge' });
      await store().oneTimeTokens.create(token);
      const results = await Promise.all(Array.from({ length: 10 }, () => store().oneTimeTokens.consume('mfa_challenge', token.tokenHash, at(1))));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('refuses a token of an unknown user or organization', async () => {
      await expectCode(store().oneTimeTokens.create(newOneTimeToken({ userId: 'no-such-user' })), 'USER_NOT_FOUND');
      await expectCode(store().oneTimeTokens.create(newOneTimeToken({ tenantId: 'no-such-org' })), 'TENANT_NOT_FOUND');
    });

    it('deletes tokens that expired before a date, consumed or not', async () => {
      const past = new Date('2001-01-01T00:00:00.000Z');
      const expired = [newOneTimeToken({ expiresAt: new Date(past.getTime() - 1) }), newOneTimeToken({ expiresAt: new Date(past.getTime() - 60_000) })];
      const fresh = newOneTimeToken({ expiresAt: new Date(past.getTime() + 1) });
      for (const t of [...expired, fresh]) await store().oneTimeTokens.create({ ...t, createdAt: new Date(past.getTime() - 120_000) });
      await store().oneTimeTokens.consume(expired[0]!.purpose, expired[0]!.tokenHash, new Date(past.getTime() - 2));
      expect(await store().oneTimeTokens.deleteExpired(past)).toBe(2);
      expect(await store().oneTimeTokens.peek(fresh.purpose, fresh.tokenHash, new Date(past.getTime() - 10))).not.toBeNull();
      expect(await store().oneTimeTokens.deleteExpired(past)).toBe(0);
    });

    it('keeps payload values and nulls exactly', async () => {
      const token = { ...newOneTimeToken({ purpose: 'intermediate_session' }), email: null, payload: { orgs: 'a,b', count: 2, ok: false, none: null } };
      await store().oneTimeTokens.create(token);
      expect(await store().oneTimeTokens.peek('intermediate_session', token.tokenHash, T0)).toEqual(token);
    });
  });
};
