import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Membership } from '../../src/domain/tenancy/membership.js';
import { type ContractSuite, T0, at, expectCode, newMembership, newOrganization, newSession, newUser, seedMember, useStore } from './fixtures.js';

export const membershipRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`MembershipRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    it('saves a membership and finds it by id and by user, with its custom roles', async () => {
      const { org, user, membership } = await seedMember(store(), 'manager');
      const loaded = await store().memberships.findById(org.id, membership.id);
      expect(loaded).toBeInstanceOf(Membership);
      expect(loaded).toEqual(membership);
      if (!loaded) throw new Error('not found');
      loaded.customRoles = ['captain', 'harbour-master'];
      loaded.changeRole('admin', at(1));
      await store().memberships.save(loaded);
      const reloaded = await store().memberships.findByUser(org.id, user.id);
      expect(reloaded?.customRoles).toEqual(['captain', 'harbour-master']);
      expect(reloaded?.role).toBe('admin');
      expect(reloaded?.version).toBe(2);
      expect(await store().memberships.findByUser(org.id, 'someone-else')).toBeNull();
    });

    it('lists a tenant’s members and a user’s memberships oldest first', async () => {
      const org = newOrganization();
      const other = newOrganization();
      await store().orgs.save(org);
      await store().orgs.save(other);
      const users = [newUser(), newUser(), newUser()];
      for (const u of users) await store().users.save(u);
      const later = newMembership(org, users[0]!, 'admin', at(30));
      const earlier = newMembership(org, users[1]!, 'member', at(10));
      const middle = newMembership(org, users[2]!, 'viewer', at(20));
      const elsewhere = newMembership(other, users[0]!, 'member', at(5));
      for (const m of [later, earlier, middle, elsewhere]) await store().memberships.save(m);
      expect((await store().memberships.listByTenant(org.id)).map((m) => m.id)).toEqual([earlier.id, middle.id, later.id]);
      expect((await store().memberships.listByUser(users[0]!.id)).map((m) => m.id)).toEqual([elsewhere.id, later.id]);
      expect(await store().memberships.listByTenant('no-such-tenant')).toEqual([]);
    });

    it('refuses a second membership of one user in one tenant with MEMBER_ALREADY_EXISTS', async () => {
      const { org, user, membership } = await seedMember(store());
      await expectCode(store().memberships.save(newMembership(org, user, 'admin')), 'MEMBER_ALREADY_EXISTS');
      expect((await store().memberships.listByTenant(org.id)).map((m) => m.id)).toEqual([membership.id]);
    });

    it('refuses members of unknown organizations or users', async () => {
      const org = newOrganization();
      const user = newUser();
      await store().orgs.save(org);
      await store().users.save(user);
      await expectCode(store().memberships.save(Membership.create({ id: randomUUID(), tenantId: 'no-such-org', userId: user.id, role: 'member', now: T0 })), 'TENANT_NOT_FOUND');
      await expectCode(store().memberships.save(Membership.create({ id: randomUUID(), tenantId: org.id, userId: 'no-such-user', role: 'member', now: T0 })), 'USER_NOT_FOUND');
    });

    it('isolates tenants: tenant A can neither read, change nor delete tenant B’s membership by id', async () => {
      const a = await seedMember(store(), 'admin');
      const b = await seedMember(store(), 'member');

      expect(await store().memberships.findById(a.org.id, b.membership.id)).toBeNull();
      expect(await store().memberships.findByUser(a.org.id, b.user.id)).toBeNull();
      expect(await store().memberships.delete(a.org.id, b.membership.id)).toBe(false);

      const hijack = Membership.create({ id: b.membership.id, tenantId: a.org.id, userId: b.user.id, role: 'admin', now: T0 });
      await expectCode(store().memberships.save(hijack), 'CONCURRENT_MODIFICATION');
      expect(await store().memberships.findById(b.org.id, b.membership.id)).toEqual(b.membership);
    });

    it('deletes a membership of its tenant and keeps its sessions, unlinked', async () => {
      const { org, user, membership } = await seedMember(store());
      const session = newSession(user, { org, membership });
      await store().sessions.create(session, randomUUID());
      expect(await store().memberships.delete(org.id, membership.id)).toBe(true);
      expect(await store().memberships.findById(org.id, membership.id)).toBeNull();
      expect(await store().memberships.delete(org.id, membership.id)).toBe(false);
      const kept = await store().sessions.findById(session.id);
      expect(kept?.membershipId).toBeNull();
      expect(kept?.tenantId).toBe(org.id);
    });

    it('refuses a stale copy with CONCURRENT_MODIFICATION', async () => {
      const { org, membership } = await seedMember(store());
      const first = await store().memberships.findById(org.id, membership.id);
      const second = await store().memberships.findById(org.id, membership.id);
      if (!first || !second) throw new Error('not found');
      first.changeRole('admin', at(1));
      await store().memberships.save(first);
      second.changeRole('viewer', at(2));
      await expectCode(store().memberships.save(second), 'CONCURRENT_MODIFICATION');
      expect((await store().memberships.findById(org.id, membership.id))?.role).toBe('admin');
    });
  });
};
