import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Entity } from '../../src/domain/tenancy/entity.js';
import { type ContractSuite, T0, at, expectCode, newEntity, newOrganization, useStore } from './fixtures.js';

export const entityRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`EntityRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    async function newTenant() {
      const org = newOrganization();
      await store().orgs.save(org);
      return org;
    }

    it('saves, finds, lists oldest first, counts and renames entities', async () => {
      const org = await newTenant();
      const second = newEntity(org, { externalId: 'boat-2', now: at(20) });
      const first = newEntity(org, { externalId: null, now: at(10) });
      await store().entities.save(second);
      await store().entities.save(first);
      const found = await store().entities.findById(org.id, second.id);
      expect(found).toBeInstanceOf(Entity);
      expect(found).toEqual(second);
      expect((await store().entities.list(org.id)).map((e) => e.id)).toEqual([first.id, second.id]);
      expect(await store().entities.count(org.id)).toBe(2);

      found?.rename('Renamed', at(30));
      if (found) await store().entities.save(found);
      expect(found?.version).toBe(2);
      expect((await store().entities.findById(org.id, second.id))?.name).toBe('Renamed');
    });

    it('keeps an external id unique per tenant and type (VALIDATION_FAILED), and any number of null ones', async () => {
      const org = await newTenant();
      const other = await newTenant();
      await store().entities.save(newEntity(org, { externalId: 'hull-42' }));
      await store().entities.save(newEntity(org, { externalId: 'hull-42', type: 'trailer' }));
      await store().entities.save(newEntity(other, { externalId: 'hull-42' }));
      await store().entities.save(newEntity(org, { externalId: null }));
      await store().entities.save(newEntity(org, { externalId: null }));
      await expectCode(store().entities.save(newEntity(org, { externalId: 'hull-42' })), 'VALIDATION_FAILED');
      expect(await store().entities.count(org.id)).toBe(4);
    });

    it('refuses entities of unknown organizations', async () => {
      await expectCode(
        store().entities.save(Entity.create({ id: randomUUID(), tenantId: 'no-such-org', type: 'boat', name: 'Orphan', now: T0 })),
        'TENANT_NOT_FOUND',
      );
    });

    it('isolates tenants: tenant A can neither read, list, count, change nor delete tenant B’s entity', async () => {
      const a = await newTenant();
      const b = await newTenant();
      const theirs = newEntity(b, { externalId: 'b-1' });
      await store().entities.save(theirs);

      expect(await store().entities.findById(a.id, theirs.id)).toBeNull();
      expect(await store().entities.list(a.id)).toEqual([]);
      expect(await store().entities.count(a.id)).toBe(0);
      expect(await store().entities.delete(a.id, theirs.id)).toBe(false);
      const hijack = Entity.create({ id: theirs.id, tenantId: a.id, type: 'boat', name: 'Mine now', now: T0 });
      await expectCode(store().entities.save(hijack), 'CONCURRENT_MODIFICATION');
      expect(await store().entities.findById(b.id, theirs.id)).toEqual(theirs);
    });

    it('deletes an entity of its tenant once', async () => {
      const org = await newTenant();
      const entity = newEntity(org);
      await store().entities.save(entity);
      expect(await store().entities.delete(org.id, entity.id)).toBe(true);
      expect(await store().entities.delete(org.id, entity.id)).toBe(false);
      expect(await store().entities.findById(org.id, entity.id)).toBeNull();
    });

    it('refuses a stale copy with CONCURRENT_MODIFICATION', async () => {
      const org = await newTenant();
      const entity = newEntity(org);
      await store().entities.save(entity);
      const copy = await store().entities.findById(org.id, entity.id);
      entity.rename('First', at(1));
      await store().entities.save(entity);
      copy?.rename('Second', at(2));
      if (copy) await expectCode(store().entities.save(copy), 'CONCURRENT_MODIFICATION');
      expect((await store().entities.findById(org.id, entity.id))?.name).toBe('First');
    });
  });
};
