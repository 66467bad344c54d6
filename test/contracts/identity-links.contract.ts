import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IdentityLink } from '../../src/application/ports/identity-link-repository.port.js';
import { type ContractSuite, T0, at, expectCode, newOrganization, unique, useStore } from './fixtures.js';

class Boom extends Error {}

/** IdentityLinkRepository and IdentityEventLedger: the identity provider mirror's persistence. */
export const identityLinksContract: ContractSuite = (name, makePersistence) => {
  describe(`Identity links and webhook ledger contract [${name}]`, () => {
    const store = useStore(makePersistence);

    async function storedOrganization() {
      const org = newOrganization();
      await store().orgs.save(org);
      return org;
    }

    function link(input: Partial<IdentityLink> & { tenantId: string }): IdentityLink {
      return { kind: 'member', externalId: unique('member-test'), localId: randomUUID(), sourceUpdatedAt: T0, deletedAt: null, ...input };
    }

    it('saves a link and finds it by the external id and by the local id, of its kind only', async () => {
      const org = await storedOrganization();
      const orgLink = link({ kind: 'organization', externalId: unique('organization-test'), localId: org.id, tenantId: org.id, sourceUpdatedAt: null });
      await store().identityLinks.save(orgLink);
      expect(await store().identityLinks.findByExternal('organization', orgLink.externalId)).toEqual(orgLink);
      expect(await store().identityLinks.findByLocal('organization', org.id)).toEqual(orgLink);
      expect(await store().identityLinks.findByExternal('member', orgLink.externalId)).toBeNull();
      expect(await store().identityLinks.findByLocal('member', org.id)).toBeNull();
      expect(await store().identityLinks.findByExternal('organization', unique('organization-test'))).toBeNull();
    });

    it('replaces the row of the same (kind, externalId): new local id, times and tombstone', async () => {
      const org = await storedOrganization();
      const first = link({ tenantId: org.id });
      await store().identityLinks.save(first);
      const replaced = { ...first, localId: randomUUID(), sourceUpdatedAt: at(10), deletedAt: at(11) };
      await store().identityLinks.save(replaced);
      expect(await store().identityLinks.findByExternal('member', first.externalId)).toEqual(replaced);
      expect(await store().identityLinks.findByLocal('member', first.localId)).toBeNull();
      expect(await store().identityLinks.findByLocal('member', replaced.localId)).toEqual(replaced);
      expect(await store().identityLinks.listMembersOf(org.id)).toEqual([replaced]);
    });

    it('refuses to link an already linked local object to another external id (CONCURRENT_MODIFICATION), changing nothing', async () => {
      const org = await storedOrganization();
      const first = link({ tenantId: org.id });
      await store().identityLinks.save(first);
      const other = link({ tenantId: org.id, localId: first.localId });
      await expectCode(store().identityLinks.save(other), 'CONCURRENT_MODIFICATION');
      expect(await store().identityLinks.findByExternal('member', other.externalId)).toBeNull();
      expect(await store().identityLinks.findByLocal('member', first.localId)).toEqual(first);
      // The same local id under the other kind is another key.
      const asOrganization = link({ kind: 'organization', tenantId: org.id, localId: first.localId });
      await store().identityLinks.save(asOrganization);
      expect(await store().identityLinks.findByLocal('organization', first.localId)).toEqual(asOrganization);
    });

    it('refuses a link to an unknown organization (TENANT_NOT_FOUND)', async () => {
      await expectCode(store().identityLinks.save(link({ tenantId: randomUUID() })), 'TENANT_NOT_FOUND');
    });

    it('keeps tombstones: a deleted link is still found, with its deletedAt and sourceUpdatedAt', async () => {
      const org = await storedOrganization();
      const alive = link({ tenantId: org.id, sourceUpdatedAt: at(5) });
      await store().identityLinks.save(alive);
      const tombstone = { ...alive, deletedAt: at(6), sourceUpdatedAt: at(6) };
      await store().identityLinks.save(tombstone);
      expect(await store().identityLinks.findByExternal('member', alive.externalId)).toEqual(tombstone);
      expect(await store().identityLinks.findByLocal('member', alive.localId)).toEqual(tombstone);
      expect(await store().identityLinks.listMembersOf(org.id)).toEqual([tombstone]);
    });

    it("lists one organization's member links oldest first (tombstones included, no organization links, no other tenant's)", async () => {
      const org = await storedOrganization();
      const other = await storedOrganization();
      await store().identityLinks.save(link({ kind: 'organization', localId: org.id, tenantId: org.id }));
      const a = link({ tenantId: org.id });
      const b = link({ tenantId: org.id, deletedAt: at(3) });
      const c = link({ tenantId: org.id });
      await store().identityLinks.save(a);
      await store().identityLinks.save(link({ tenantId: other.id }));
      await store().identityLinks.save(b);
      await store().identityLinks.save(c);
      // A replace keeps the row's place.
      const a2 = { ...a, sourceUpdatedAt: at(9) };
      await store().identityLinks.save(a2);
      expect(await store().identityLinks.listMembersOf(org.id)).toEqual([a2, b, c]);
      expect(await store().identityLinks.listMembersOf(randomUUID())).toEqual([]);
    });

    it('deletes the links with their organization (ON DELETE CASCADE)', async () => {
      const org = await storedOrganization();
      const member = link({ tenantId: org.id });
      await store().identityLinks.save(member);
      await store().orgs.delete(org.id);
      expect(await store().identityLinks.findByExternal('member', member.externalId)).toBeNull();
    });

    it('forgets a link saved inside a unit of work that rolls back', async () => {
      const org = await storedOrganization();
      const rolledBack = link({ tenantId: org.id });
      await expect(
        store().uow.run(async () => {
          await store().identityLinks.save(rolledBack);
          expect(await store().identityLinks.findByExternal('member', rolledBack.externalId)).toEqual(rolledBack);
          throw new Boom('the effect failed');
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store().identityLinks.findByExternal('member', rolledBack.externalId)).toBeNull();
    });

    it('keeps the unit of work usable after a refused link (the refusal rolls back only itself)', async () => {
      const org = await storedOrganization();
      const first = link({ tenantId: org.id });
      await store().identityLinks.save(first);
      const later = link({ tenantId: org.id });
      await store().uow.run(async () => {
        await expectCode(store().identityLinks.save(link({ tenantId: org.id, localId: first.localId })), 'CONCURRENT_MODIFICATION');
        await store().identityLinks.save(later);
      });
      expect(await store().identityLinks.findByExternal('member', later.externalId)).toEqual(later);
    });

    it('records an event id once: true, then false, and `has` tells', async () => {
      const eventId = unique('event-test');
      expect(await store().identityEvents.has(eventId)).toBe(false);
      expect(await store().identityEvents.record({ eventId, objectType: 'member', action: 'UPDATE', receivedAt: T0 })).toBe(true);
      expect(await store().identityEvents.record({ eventId, objectType: 'organization', action: 'DELETE', receivedAt: at(1) })).toBe(false);
      expect(await store().identityEvents.has(eventId)).toBe(true);
    });

    it('lets exactly one of concurrent units of work record the same event id', async () => {
      const eventId = unique('event-test');
      const results = await Promise.all(
        Array.from({ length: 5 }, () => store().uow.run(() => store().identityEvents.record({ eventId, objectType: 'member', action: 'CREATE', receivedAt: T0 }))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('forgets an event recorded inside a unit of work that rolls back, so it can be recorded again', async () => {
      const eventId = unique('event-test');
      await expect(
        store().uow.run(async () => {
          expect(await store().identityEvents.record({ eventId, objectType: 'member', action: 'DELETE', receivedAt: T0 })).toBe(true);
          throw new Boom('the effect failed');
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store().identityEvents.has(eventId)).toBe(false);
      expect(await store().uow.run(() => store().identityEvents.record({ eventId, objectType: 'member', action: 'DELETE', receivedAt: T0 }))).toBe(true);
    });
  });
};
