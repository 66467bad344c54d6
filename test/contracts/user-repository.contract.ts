import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { User } from '../../src/domain/tenancy/user.js';
import { type ContractSuite, T0, at, expectCode, newUser, unique, useStore } from './fixtures.js';

export const userRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`UserRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    it('saves a user and finds it by id and by email, whatever the email’s case', async () => {
      const user = newUser();
      user.setPasswordHash('$scrypt$v1$hash', T0);
      user.emailVerifiedAt = at(1);
      await store().users.save(user);
      const found = await store().users.findById(user.id);
      expect(found).toBeInstanceOf(User);
      expect(found).toEqual(user);
      expect(found?.canSignIn).toBe(true);
      expect(await store().users.findByEmail(`  ${user.email.toUpperCase()} `)).toEqual(user);
      expect(await store().users.findById('missing')).toBeNull();
      expect(await store().users.findByEmail('nobody@example.test')).toBeNull();
    });

    it('keeps nulls as nulls', async () => {
      const user = User.create({ id: randomUUID(), email: `${unique('plain')}@example.test`, status: 'invited', now: T0 });
      await store().users.save(user);
      const found = await store().users.findById(user.id);
      expect(found?.name).toBeNull();
      expect(found?.passwordHash).toBeNull();
      expect(found?.emailVerifiedAt).toBeNull();
      expect(found?.status).toBe('invited');
      expect(await store().users.findByEmail(user.email)).toEqual(found);
    });

    it('finds by email the stored copy: its version, and a save that updates it', async () => {
      const user = newUser();
      await store().users.save(user);
      const copy = await store().users.findByEmail(user.email);
      if (!copy) throw new Error('not found');
      copy.rename('Grace Hopper', at(2));
      await store().users.save(copy);
      const again = await store().users.findByEmail(user.email);
      expect(again).toBeInstanceOf(User);
      expect(again?.version).toBe(2);
      expect(again?.name).toBe('Grace Hopper');
      expect(again?.updatedAt).toEqual(at(2));
      await expectCode(store().users.save(user), 'CONCURRENT_MODIFICATION');
    });

    it('finds many by ids, skipping unknown ones', async () => {
      const [a, b] = [newUser(), newUser()];
      await store().users.save(a);
      await store().users.save(b);
      expect((await store().users.findManyByIds([b.id, 'missing', a.id])).map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
      expect(await store().users.findManyByIds([])).toEqual([]);
    });

    it('refuses a taken email with USER_ALREADY_EXISTS, on insert and on update', async () => {
      const [a, b] = [newUser(), newUser()];
      await store().users.save(a);
      await store().users.save(b);
      await expectCode(store().users.save(User.create({ id: randomUUID(), email: a.email.toUpperCase(), now: T0 })), 'USER_ALREADY_EXISTS');
      b.email = a.email;
      await expectCode(store().users.save(b), 'USER_ALREADY_EXISTS');
      expect((await store().users.findByEmail(a.email))?.id).toBe(a.id);
    });

    it('versions updates and refuses a stale copy with CONCURRENT_MODIFICATION', async () => {
      const user = newUser();
      await store().users.save(user);
      const first = await store().users.findById(user.id);
      const second = await store().users.findById(user.id);
      if (!first || !second) throw new Error('not found');
      first.rename('Ada Lovelace', at(1));
      await store().users.save(first);
      expect(first.version).toBe(2);
      second.setPasswordHash('$scrypt$v1$other', at(2));
      await expectCode(store().users.save(second), 'CONCURRENT_MODIFICATION');
      const stored = await store().users.findById(user.id);
      expect(stored?.name).toBe('Ada Lovelace');
      expect(stored?.passwordHash).toBeNull();
    });
  });
};
