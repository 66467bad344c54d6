import { describe, expect, it } from 'vitest';
import type { OneTimeToken } from '../../src/domain/credentials/one-time-token.js';
import { type ContractSuite, T0, at, expectCode, newOneTimeToken, newOrganization, newUser, useStore } from './fixtures.js';

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

    it('burns every pending token of one purpose for a user, and only those', async () => {
      const [ada, bob] = [newUser(), newUser()];
      for (const u of [ada, bob]) await store().users.save(u);
      const mine = [newOneTimeToken({ purpose: 'activation', userId: ada.id }), newOneTimeToken({ purpose: 'activation', userId: ada.id })];
      const spent = newOneTimeToken({ purpose: 'activation', userId: ada.id });
      const expired = newOneTimeToken({ purpose: 'activation', userId: ada.id, expiresAt: at(10) });
      const others = [newOneTimeToken({ purpose: 'magic_link', userId: ada.id }), newOneTimeToken({ purpose: 'activation', userId: bob.id })];
      for (const t of [...mine, spent, expired, ...others]) await store().oneTimeTokens.create(t);
      await store().oneTimeTokens.consume('activation', spent.tokenHash, at(5));
      expect(await store().oneTimeTokens.consumeAllForUser(ada.id, 'activation', at(20))).toBe(2);
      for (const t of mine) expect(await store().oneTimeTokens.peek('activation', t.tokenHash, at(21))).toBeNull();
      for (const t of others) expect(await store().oneTimeTokens.peek(t.purpose, t.tokenHash, at(21))).not.toBeNull();
      expect(await store().oneTimeTokens.consumeAllForUser(ada.id, 'activation', at(22))).toBe(0);
    });

    it('burns the pending tokens of one purpose for a user within one organization, a token naming none being its own group', async () => {
      const [ada, bob] = [newUser(), newUser()];
      for (const u of [ada, bob]) await store().users.save(u);
      const [orgA, orgB] = [newOrganization(), newOrganization()];
      for (const o of [orgA, orgB]) await store().orgs.save(o);
      const ofA = [newOneTimeToken({ purpose: 'activation', userId: ada.id, tenantId: orgA.id }), newOneTimeToken({ purpose: 'activation', userId: ada.id, tenantId: orgA.id })];
      const ofB = newOneTimeToken({ purpose: 'activation', userId: ada.id, tenantId: orgB.id });
      const ofNone = newOneTimeToken({ purpose: 'activation', userId: ada.id, tenantId: null });
      const bobsOfA = newOneTimeToken({ purpose: 'activation', userId: bob.id, tenantId: orgA.id });
      const otherPurposeOfA = newOneTimeToken({ purpose: 'invitation', userId: ada.id, tenantId: orgA.id });
      for (const t of [...ofA, ofB, ofNone, bobsOfA, otherPurposeOfA]) await store().oneTimeTokens.create(t);
      const pending = async (t: OneTimeToken, now = at(2)) => (await store().oneTimeTokens.peek(t.purpose, t.tokenHash, now)) !== null;

      expect(await store().oneTimeTokens.consumeAllForUserInTenant(ada.id, 'activation', orgA.id, at(1))).toBe(2);
      for (const t of ofA) expect(await pending(t)).toBe(false);
      for (const t of [ofB, ofNone, bobsOfA, otherPurposeOfA]) expect(await pending(t)).toBe(true);
      // Spent tokens are not counted again; null matches only the token naming no organization.
      expect(await store().oneTimeTokens.consumeAllForUserInTenant(ada.id, 'activation', orgA.id, at(3))).toBe(0);
      expect(await store().oneTimeTokens.consumeAllForUserInTenant(ada.id, 'activation', null, at(3))).toBe(1);
      expect([await pending(ofNone, at(4)), await pending(ofB, at(4))]).toEqual([false, true]);
      // An expired token stays as it is.
      expect(await store().oneTimeTokens.consumeAllForUserInTenant(ada.id, 'activation', orgB.id, ofB.expiresAt)).toBe(0);
      expect(await store().oneTimeTokens.consumeAllForUserInTenant(ada.id, 'activation', orgB.id, at(5))).toBe(1);
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
