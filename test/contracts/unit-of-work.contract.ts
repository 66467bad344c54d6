import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/domain/shared/domain-error.js';
import { type ContractSuite, at, newAuditEvent, newMembership, newOrganization, newUser, useStore } from './fixtures.js';

class Boom extends Error {}

export const unitOfWorkContract: ContractSuite = (name, makePersistence) => {
  describe(`UnitOfWork contract [${name}]`, () => {
    const store = useStore(makePersistence);

    it('answers ping', async () => {
      expect(await store().ping()).toBe(true);
    });

    it('commits every change made inside run, and returns its result', async () => {
      const org = newOrganization();
      const user = newUser();
      const result = await store().uow.run(async () => {
        await store().orgs.save(org);
        await store().users.save(user);
        await store().memberships.save(newMembership(org, user, 'admin'));
        return 'done';
      });
      expect(result).toBe('done');
      expect(await store().memberships.findByUser(org.id, user.id)).not.toBeNull();
    });

    it('rolls back every change when the work throws after two saves', async () => {
      const org = newOrganization();
      const user = newUser();
      const event = newAuditEvent(org.id);
      await expect(
        store().uow.run(async () => {
          await store().orgs.save(org);
          await store().users.save(user);
          await store().audit.record(event);
          throw new Boom('after the saves');
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store().orgs.findById(org.id)).toBeNull();
      expect(await store().users.findById(user.id)).toBeNull();
      expect((await store().audit.list(org.id, { limit: 5 })).events).toEqual([]);
    });

    it('rolls back updates and deletes too', async () => {
      const org = newOrganization();
      await store().orgs.save(org);
      const loaded = await store().orgs.findById(org.id);
      if (!loaded) throw new Error('not found');
      await expect(
        store().uow.run(async () => {
          loaded.rename('Renamed inside', at(1));
          await store().orgs.save(loaded);
          await store().orgs.delete(org.id);
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect((await store().orgs.findById(org.id))?.name).toBe('Acme Boats');
    });

    it('sees its own writes inside run', async () => {
      const org = newOrganization();
      await store().uow.run(async () => {
        await store().orgs.save(org);
        expect((await store().orgs.findBySlug(org.slug))?.id).toBe(org.id);
      });
    });

    it('joins a nested run to the outer one: the outer failure undoes the inner work', async () => {
      const org = newOrganization();
      await expect(
        store().uow.run(async () => {
          await store().uow.run(() => store().orgs.save(org));
          expect(await store().orgs.findById(org.id)).not.toBeNull();
          throw new Boom();
        }),
      ).rejects.toBeInstanceOf(Boom);
      expect(await store().orgs.findById(org.id)).toBeNull();
    });

    it('stays usable after a refused write inside run: the caller may catch the code and go on', async () => {
      const taken = newOrganization();
      await store().orgs.save(taken);
      const retry = newOrganization();
      await store().uow.run(async () => {
        const clash = newOrganization();
        clash.changeSlug(taken.slug, at(1));
        const refused = await store().orgs.save(clash).then(
          () => null,
          (e: unknown) => e,
        );
        expect(isDomainError(refused, 'TENANT_SLUG_TAKEN')).toBe(true);
        await store().orgs.save(retry);
      });
      expect(await store().orgs.findById(retry.id)).not.toBeNull();
    });

    it('accepts writes issued concurrently inside one unit of work, refused ones included', async () => {
      const taken = newOrganization();
      await store().orgs.save(taken);
      const fresh = [newOrganization(), newOrganization(), newOrganization()];
      const clash = newOrganization();
      clash.changeSlug(taken.slug, at(1));
      const outcomes = await store().uow.run(() =>
        Promise.allSettled([...fresh, clash].map((org) => store().orgs.save(org).then(() => store().audit.record(newAuditEvent(org.id))))),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
      expect(await store().orgs.findManyByIds(fresh.map((o) => o.id))).toHaveLength(3);
    });

    it('keeps concurrent units of work apart: a rolled-back one undoes only its own changes', async () => {
      const kept = newOrganization();
      const undone = newOrganization();
      const results = await Promise.allSettled([
        store().uow.run(async () => {
          await store().orgs.save(undone);
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw new Boom();
        }),
        store().uow.run(() => store().orgs.save(kept)),
        store().orgs.save(newOrganization()),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
      expect(await store().orgs.findById(kept.id)).not.toBeNull();
      expect(await store().orgs.findById(undone.id)).toBeNull();
    });
  });
};
