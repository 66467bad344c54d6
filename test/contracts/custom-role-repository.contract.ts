import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import type { Organization } from '../../src/domain/tenancy/organization.js';
import { OrganizationRole } from '../../src/domain/tenancy/organization-role.js';
import { type ContractSuite, T0, at, expectCode, newMembership, newOrganization, newUser, seedMember, useStore } from './fixtures.js';

function newRole(org: Organization, key = 'captain', permissions: string[] = ['entity:view', 'entity:edit'], now = T0): OrganizationRole {
  return OrganizationRole.create({ id: randomUUID(), tenantId: org.id, key, name: `Role ${key}`, permissions, now });
}

export const customRoleRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`CustomRoleRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    async function newTenant(p: Persistence = store()) {
      const org = newOrganization();
      await p.orgs.save(org);
      return org;
    }

    it('saves, finds by key, lists oldest first and updates roles', async () => {
      const org = await newTenant();
      const later = newRole(org, 'deckhand', ['entity:view'], at(20));
      const earlier = newRole(org, 'captain', ['entity:edit', 'entity:view', 'credits:spend'], at(10));
      await store().customRoles.save(later);
      await store().customRoles.save(earlier);
      const found = await store().customRoles.findByKey(org.id, 'captain');
      expect(found).toBeInstanceOf(OrganizationRole);
      expect(found).toEqual(earlier);
      expect(found?.permissions).toEqual(['entity:view', 'entity:edit', 'credits:spend']);
      expect((await store().customRoles.list(org.id)).map((r) => r.key)).toEqual(['captain', 'deckhand']);

      found?.update({ name: 'Skipper', permissions: ['entity:view'] }, at(30));
      if (found) await store().customRoles.save(found);
      expect(found?.version).toBe(2);
      expect(await store().customRoles.findByKey(org.id, 'captain')).toMatchObject({ name: 'Skipper', permissions: ['entity:view'], version: 2 });
      expect(await store().customRoles.findByKey(org.id, 'nobody')).toBeNull();
    });

    it('keeps keys unique per tenant (ACCESS_DUPLICATE_ROLE_KEY), not across tenants', async () => {
      const org = await newTenant();
      const other = await newTenant();
      await store().customRoles.save(newRole(org, 'auditor'));
      await store().customRoles.save(newRole(other, 'auditor'));
      await expectCode(store().customRoles.save(newRole(org, 'auditor')), 'ACCESS_DUPLICATE_ROLE_KEY');
      expect(await store().customRoles.list(org.id)).toHaveLength(1);
    });

    it('refuses roles of unknown organizations', async () => {
      await expectCode(
        store().customRoles.save(OrganizationRole.create({ id: randomUUID(), tenantId: 'no-such-org', key: 'orphan', name: 'Orphan', permissions: [], now: T0 })),
        'TENANT_NOT_FOUND',
      );
    });

    it('isolates tenants: tenant A can neither read, list, change nor delete tenant B’s role', async () => {
      const a = await newTenant();
      const b = await newTenant();
      const theirs = newRole(b, 'treasurer', ['billing:manage']);
      await store().customRoles.save(theirs);
      expect(await store().customRoles.findByKey(a.id, 'treasurer')).toBeNull();
      expect(await store().customRoles.list(a.id)).toEqual([]);
      expect(await store().customRoles.delete(a.id, 'treasurer')).toBe(false);
      const hijack = OrganizationRole.create({ id: theirs.id, tenantId: a.id, key: 'treasurer', name: 'Mine', permissions: [], now: T0 });
      await expectCode(store().customRoles.save(hijack), 'CONCURRENT_MODIFICATION');
      expect(await store().customRoles.findByKey(b.id, 'treasurer')).toEqual(theirs);
    });

    it('deleting a role unassigns it from the tenant’s members (bumping their versions), and only there', async () => {
      const { org, membership } = await seedMember(store());
      const other = await seedMember(store());
      await store().customRoles.save(newRole(org, 'captain'));
      await store().customRoles.save(newRole(org, 'cook'));
      await store().customRoles.save(newRole(other.org, 'captain'));
      membership.customRoles = ['captain', 'cook'];
      await store().memberships.save(membership);
      other.membership.customRoles = ['captain'];
      await store().memberships.save(other.membership);
      const stale = await store().memberships.findById(org.id, membership.id);

      expect(await store().customRoles.delete(org.id, 'captain')).toBe(true);
      expect(await store().customRoles.delete(org.id, 'captain')).toBe(false);
      expect(await store().customRoles.findByKey(org.id, 'captain')).toBeNull();
      const reloaded = await store().memberships.findById(org.id, membership.id);
      expect(reloaded?.customRoles).toEqual(['cook']);
      expect(reloaded?.version).toBe(membership.version + 1);
      // A copy read before the delete can no longer put the key back.
      if (stale) await expectCode(store().memberships.save(stale), 'CONCURRENT_MODIFICATION');
      expect((await store().memberships.findById(other.org.id, other.membership.id))?.customRoles).toEqual(['captain']);
      expect(await store().customRoles.findByKey(other.org.id, 'captain')).not.toBeNull();
    });

    it('goes with its organization', async () => {
      const org = await newTenant();
      const user = newUser();
      await store().users.save(user);
      await store().memberships.save(newMembership(org, user, 'admin'));
      await store().customRoles.save(newRole(org, 'captain'));
      await store().orgs.delete(org.id);
      expect(await store().customRoles.list(org.id)).toEqual([]);
    });

    it('refuses a stale copy with CONCURRENT_MODIFICATION', async () => {
      const org = await newTenant();
      const role = newRole(org, 'pilot');
      await store().customRoles.save(role);
      const copy = await store().customRoles.findByKey(org.id, 'pilot');
      role.update({ name: 'First' }, at(1));
      await store().customRoles.save(role);
      copy?.update({ name: 'Second' }, at(2));
      if (copy) await expectCode(store().customRoles.save(copy), 'CONCURRENT_MODIFICATION');
      expect((await store().customRoles.findByKey(org.id, 'pilot'))?.name).toBe('First');
    });
  });
};
