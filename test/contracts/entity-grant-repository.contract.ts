import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EntityLevel } from '../../src/domain/access/entity-level.js';
import type { Entity } from '../../src/domain/tenancy/entity.js';
import { EntityAccessGrant } from '../../src/domain/tenancy/entity-access-grant.js';
import type { Membership } from '../../src/domain/tenancy/membership.js';
import type { Organization } from '../../src/domain/tenancy/organization.js';
import { OrganizationRole } from '../../src/domain/tenancy/organization-role.js';
import { type ContractSuite, T0, at, expectCode, newEntity, newMembership, newUser, seedMember, useStore } from './fixtures.js';

function newGrant(entity: Entity, membership: Membership, level: EntityLevel = 'editor', now = T0): EntityAccessGrant {
  return EntityAccessGrant.create({ id: randomUUID(), tenantId: entity.tenantId, entityId: entity.id, membershipId: membership.id, level, now });
}

function newRole(org: Organization, key: string, permissions: string[], now: Date): OrganizationRole {
  return OrganizationRole.create({ id: randomUUID(), tenantId: org.id, key, name: `Role ${key}`, permissions, now });
}

export const entityGrantRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`EntityGrantRepository and AccessSnapshotReader contract [${name}]`, () => {
    const store = useStore(makePersistence);

    /** An organization with one member and two entities. */
    async function seed() {
      const { org, user, membership } = await seedMember(store());
      const boat1 = newEntity(org, { now: at(1) });
      const boat2 = newEntity(org, { now: at(2) });
      await store().entities.save(boat1);
      await store().entities.save(boat2);
      return { org, user, membership, boat1, boat2 };
    }

    it('saves, finds, lists by entity oldest first and changes grants', async () => {
      const { org, membership, boat1 } = await seed();
      const user2 = newUser();
      await store().users.save(user2);
      const second = newMembership(org, user2);
      await store().memberships.save(second);
      const later = newGrant(boat1, membership, 'editor', at(20));
      const earlier = newGrant(boat1, second, 'viewer', at(10));
      await store().entityGrants.save(later);
      await store().entityGrants.save(earlier);
      const found = await store().entityGrants.find(org.id, boat1.id, membership.id);
      expect(found).toBeInstanceOf(EntityAccessGrant);
      expect(found).toEqual(later);
      expect((await store().entityGrants.listByEntity(org.id, boat1.id)).map((g) => g.id)).toEqual([earlier.id, later.id]);

      found?.changeLevel('manager', at(30));
      if (found) await store().entityGrants.save(found);
      expect(found?.version).toBe(2);
      expect((await store().entityGrants.find(org.id, boat1.id, membership.id))?.level).toBe('manager');
      expect(await store().entityGrants.delete(org.id, boat1.id, membership.id)).toBe(true);
      expect(await store().entityGrants.delete(org.id, boat1.id, membership.id)).toBe(false);
      expect(await store().entityGrants.find(org.id, boat1.id, membership.id)).toBeNull();
    });

    it('allows one grant per member and entity (ACCESS_DUPLICATE_GRANT)', async () => {
      const { org, membership, boat1, boat2 } = await seed();
      await store().entityGrants.save(newGrant(boat1, membership, 'viewer'));
      await store().entityGrants.save(newGrant(boat2, membership, 'viewer'));
      await expectCode(store().entityGrants.save(newGrant(boat1, membership, 'admin')), 'ACCESS_DUPLICATE_GRANT');
      expect((await store().entityGrants.find(org.id, boat1.id, membership.id))?.level).toBe('viewer');
    });

    it('never links two tenants: an entity or a member of another tenant is not found', async () => {
      const a = await seed();
      const b = await seed();
      const crossEntity = EntityAccessGrant.create({ id: randomUUID(), tenantId: a.org.id, entityId: b.boat1.id, membershipId: a.membership.id, level: 'admin', now: T0 });
      await expectCode(store().entityGrants.save(crossEntity), 'ENTITY_NOT_FOUND');
      const crossMember = EntityAccessGrant.create({ id: randomUUID(), tenantId: a.org.id, entityId: a.boat1.id, membershipId: b.membership.id, level: 'admin', now: T0 });
      await expectCode(store().entityGrants.save(crossMember), 'MEMBER_NOT_FOUND');
      const missing = EntityAccessGrant.create({ id: randomUUID(), tenantId: a.org.id, entityId: 'no-such-entity', membershipId: a.membership.id, level: 'viewer', now: T0 });
      await expectCode(store().entityGrants.save(missing), 'ENTITY_NOT_FOUND');
      expect(await store().entityGrants.listByEntity(a.org.id, a.boat1.id)).toEqual([]);
    });

    it('isolates tenants: tenant A can neither read, list, change nor delete tenant B’s grant', async () => {
      const a = await seed();
      const b = await seed();
      const theirs = newGrant(b.boat1, b.membership, 'editor');
      await store().entityGrants.save(theirs);
      expect(await store().entityGrants.find(a.org.id, b.boat1.id, b.membership.id)).toBeNull();
      expect(await store().entityGrants.listByEntity(a.org.id, b.boat1.id)).toEqual([]);
      expect(await store().entityGrants.delete(a.org.id, b.boat1.id, b.membership.id)).toBe(false);
      const hijack = EntityAccessGrant.create({ id: theirs.id, tenantId: a.org.id, entityId: a.boat1.id, membershipId: a.membership.id, level: 'admin', now: T0 });
      await expectCode(store().entityGrants.save(hijack), 'CONCURRENT_MODIFICATION');
      expect(await store().entityGrants.find(b.org.id, b.boat1.id, b.membership.id)).toEqual(theirs);
      expect((await store().accessSnapshots.read(a.org.id)).grants).toEqual([]);
    });

    it('removing a member removes their grants; deleting an entity removes its grants', async () => {
      const { org, membership, boat1, boat2 } = await seed();
      const user2 = newUser();
      await store().users.save(user2);
      const stays = newMembership(org, user2);
      await store().memberships.save(stays);
      await store().entityGrants.save(newGrant(boat1, membership, 'editor'));
      await store().entityGrants.save(newGrant(boat2, membership, 'viewer'));
      await store().entityGrants.save(newGrant(boat1, stays, 'viewer'));
      await store().entityGrants.save(newGrant(boat2, stays, 'admin'));

      expect(await store().memberships.delete(org.id, membership.id)).toBe(true);
      expect(await store().entityGrants.find(org.id, boat1.id, membership.id)).toBeNull();
      expect(await store().entityGrants.find(org.id, boat2.id, membership.id)).toBeNull();
      expect(await store().entities.delete(org.id, boat1.id)).toBe(true);
      expect(await store().entityGrants.listByEntity(org.id, boat1.id)).toEqual([]);
      expect((await store().accessSnapshots.read(org.id)).grants).toEqual([{ entityId: boat2.id, membershipId: stays.id, level: 'admin' }]);
      await store().orgs.delete(org.id);
      expect(await store().entityGrants.listByEntity(org.id, boat2.id)).toEqual([]);
    });

    it('reads an organization’s members, custom roles and grants in one snapshot', async () => {
      const { org, membership, boat1, boat2 } = await seed();
      const user2 = newUser();
      await store().users.save(user2);
      const invited = newMembership(org, user2, 'viewer', at(5));
      invited.status = 'invited';
      await store().memberships.save(invited);
      await store().customRoles.save(newRole(org, 'captain', ['entity:edit', 'entity:view'], at(1)));
      await store().customRoles.save(newRole(org, 'cook', [], at(2)));
      membership.customRoles = ['cook', 'captain'];
      await store().memberships.save(membership);
      await store().entityGrants.save(newGrant(boat2, membership, 'manager', at(3)));
      await store().entityGrants.save(newGrant(boat1, invited, 'viewer', at(4)));
      const other = await seed();
      await store().entityGrants.save(newGrant(other.boat1, other.membership, 'admin'));

      expect(await store().accessSnapshots.read(org.id)).toEqual({
        members: [
          { membershipId: membership.id, role: 'member', customRoles: ['cook', 'captain'], status: 'active', version: 2 },
          { membershipId: invited.id, role: 'viewer', customRoles: [], status: 'invited', version: 1 },
        ],
        customRoles: [
          { key: 'captain', name: 'Role captain', permissions: ['entity:view', 'entity:edit'] },
          { key: 'cook', name: 'Role cook', permissions: [] },
        ],
        grants: [
          { entityId: boat2.id, membershipId: membership.id, level: 'manager' },
          { entityId: boat1.id, membershipId: invited.id, level: 'viewer' },
        ],
      });
      expect(await store().accessSnapshots.read('no-such-org')).toEqual({ members: [], customRoles: [], grants: [] });
    });

    it('refuses a stale copy with CONCURRENT_MODIFICATION', async () => {
      const { org, membership, boat1 } = await seed();
      const grant = newGrant(boat1, membership, 'viewer');
      await store().entityGrants.save(grant);
      const copy = await store().entityGrants.find(org.id, boat1.id, membership.id);
      grant.changeLevel('editor', at(1));
      await store().entityGrants.save(grant);
      copy?.changeLevel('admin', at(2));
      if (copy) await expectCode(store().entityGrants.save(copy), 'CONCURRENT_MODIFICATION');
      expect((await store().entityGrants.find(org.id, boat1.id, membership.id))?.level).toBe('editor');
    });
  });
};
