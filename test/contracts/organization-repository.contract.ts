import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Organization } from '../../src/domain/tenancy/organization.js';
import {
  type ContractSuite,
  T0,
  at,
  expectCode,
  newAuditEvent,
  newEntity,
  newOneTimeToken,
  newOrganization,
  newSession,
  newTokenHash,
  retryOnConflict,
  seedMember,
  unique,
  useStore,
} from './fixtures.js';

export const organizationRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`OrganizationRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    it('saves an organization and finds it by id and by slug', async () => {
      const org = newOrganization();
      org.updatePolicy({ mfaRequired: true, allowedAuthMethods: ['password', 'passkey'], allowedEmailDomains: ['Acme.test'] }, T0);
      org.plan = 'pro';
      await store().orgs.save(org);

      const byId = await store().orgs.findById(org.id);
      expect(byId).toBeInstanceOf(Organization);
      expect(byId).toEqual(org);
      expect(await store().orgs.findBySlug(org.slug)).toEqual(org);
      expect(await store().orgs.findById('no-such-org')).toBeNull();
      expect(await store().orgs.findBySlug('no-such-slug')).toBeNull();
    });

    it('finds organizations that admit an email domain just in time, matching the whole domain only', async () => {
      const domain = `${unique('jit')}.test`;
      const open = newOrganization();
      open.updatePolicy({ allowedEmailDomains: [domain, 'other.test'] }, T0);
      const closed = newOrganization();
      closed.updatePolicy({ allowedEmailDomains: [`x${domain}`] }, T0);
      await store().orgs.save(open);
      await store().orgs.save(closed);
      expect((await store().orgs.findByAllowedEmailDomain(domain)).map((o) => o.id)).toEqual([open.id]);
      expect((await store().orgs.findByAllowedEmailDomain(domain.toUpperCase())).map((o) => o.id)).toEqual([open.id]);
      expect(await store().orgs.findByAllowedEmailDomain(`'; drop table organizations; --`)).toEqual([]);
    });

    it('hands out copies: changing an object changes nothing until it is saved', async () => {
      const org = newOrganization();
      await store().orgs.save(org);
      org.rename('Changed after save', at(1));
      const loaded = await store().orgs.findById(org.id);
      loaded?.rename('Changed after load', at(2));
      loaded?.policy.allowedEmailDomains.push('sneaky.test');
      expect((await store().orgs.findById(org.id))?.name).toBe('Acme Boats');
      expect((await store().orgs.findById(org.id))?.policy.allowedEmailDomains).toEqual([]);
    });

    it('finds many by ids, skipping unknown ones', async () => {
      const [a, b] = [newOrganization(), newOrganization()];
      await store().orgs.save(a);
      await store().orgs.save(b);
      const found = await store().orgs.findManyByIds([a.id, 'missing', b.id, a.id]);
      expect(found.map((o) => o.id).sort()).toEqual([a.id, b.id].sort());
      expect(await store().orgs.findManyByIds([])).toEqual([]);
    });

    it('updates with an optimistic version: the saved object and the stored row move to the next version', async () => {
      const org = newOrganization();
      await store().orgs.save(org);
      expect(org.version).toBe(1);
      const loaded = await store().orgs.findById(org.id);
      if (!loaded) throw new Error('not found');
      loaded.rename('Acme Yachts', at(10));
      loaded.moveTo('suspended', at(10));
      await store().orgs.save(loaded);
      expect(loaded.version).toBe(2);
      expect(await store().orgs.findById(org.id)).toEqual(loaded);
    });

    it('refuses a stale copy with CONCURRENT_MODIFICATION and keeps the first write', async () => {
      const org = newOrganization();
      await store().orgs.save(org);
      const first = await store().orgs.findById(org.id);
      const second = await store().orgs.findById(org.id);
      if (!first || !second) throw new Error('not found');
      first.rename('First writer', at(1));
      second.rename('Second writer', at(2));
      await store().orgs.save(first);
      await expectCode(store().orgs.save(second), 'CONCURRENT_MODIFICATION');
      expect((await store().orgs.findById(org.id))?.name).toBe('First writer');
      // The creator's own object is stale too: it still holds version 1.
      await expectCode(store().orgs.save(org), 'CONCURRENT_MODIFICATION');
    });

    it('loses no write when 20 writers load, change and save concurrently, retrying on conflict', async () => {
      const org = newOrganization();
      org.rename('Counter 0', T0);
      await store().orgs.save(org);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          retryOnConflict(async () => {
            const current = await store().orgs.findById(org.id);
            if (!current) throw new Error('not found');
            current.rename(`Counter ${Number(current.name.split(' ')[1]) + 1}`, T0);
            await store().orgs.save(current);
          }),
        ),
      );
      const final = await store().orgs.findById(org.id);
      expect(final?.name).toBe('Counter 20');
      expect(final?.version).toBe(21);
    });

    it('serializes writers of one tenant with lock inside a unit of work', async () => {
      const org = newOrganization();
      org.rename('Counter 0', T0);
      await store().orgs.save(org);
      await Promise.all(
        Array.from({ length: 5 }, () =>
          store().uow.run(async () => {
            await store().orgs.lock(org.id);
            const current = await store().orgs.findById(org.id);
            if (!current) throw new Error('not found');
            current.rename(`Counter ${Number(current.name.split(' ')[1]) + 1}`, T0);
            await store().orgs.save(current);
          }),
        ),
      );
      expect((await store().orgs.findById(org.id))?.name).toBe('Counter 5');
    });

    it('refuses a taken slug with TENANT_SLUG_TAKEN, on insert and on update', async () => {
      const [a, b] = [newOrganization(), newOrganization()];
      await store().orgs.save(a);
      await store().orgs.save(b);
      await expectCode(store().orgs.save(Organization.create({ id: randomUUID(), slug: a.slug, name: 'Copycat', now: T0 })), 'TENANT_SLUG_TAKEN');
      b.changeSlug(a.slug, at(1));
      await expectCode(store().orgs.save(b), 'TENANT_SLUG_TAKEN');
      expect((await store().orgs.findById(b.id))?.slug).not.toBe(a.slug);
      expect((await store().orgs.findBySlug(a.slug))?.id).toBe(a.id);
    });

    it('keeps the billing customer and subscription, and refuses a second organization for either with CONCURRENT_MODIFICATION', async () => {
      const [a, b] = [newOrganization(), newOrganization()];
      const [customer, subscription] = [unique('cus'), unique('sub')];
      a.linkBilling(customer, subscription, at(1));
      await store().orgs.save(a);
      await store().orgs.save(b);
      const loaded = await store().orgs.findById(a.id);
      expect([loaded?.billingCustomerId, loaded?.billingSubscriptionId]).toEqual([customer, subscription]);
      expect((await store().orgs.findById(b.id))?.billingCustomerId).toBeNull();

      b.linkBilling(customer, unique('sub'), at(2));
      await expectCode(store().orgs.save(b), 'CONCURRENT_MODIFICATION');
      const fresh = await store().orgs.findById(b.id);
      if (!fresh) throw new Error('missing');
      fresh.linkBilling(unique('cus'), subscription, at(2));
      await expectCode(store().orgs.save(fresh), 'CONCURRENT_MODIFICATION');
      expect((await store().orgs.findById(b.id))?.billingCustomerId).toBeNull();
    });

    it('deletes an organization with everything it owns, but keeps its audit events and its members’ accounts', async () => {
      const { org, user, membership } = await seedMember(store());
      const entity = newEntity(org);
      await store().entities.save(entity);
      const session = newSession(user, { org, membership });
      const refresh = newTokenHash();
      await store().sessions.create(session, refresh);
      const token = newOneTimeToken({ tenantId: org.id, userId: user.id });
      await store().oneTimeTokens.create(token);
      const event = newAuditEvent(org.id, { occurredAt: at(5) });
      await store().audit.record(event);
      const other = await seedMember(store());

      await store().orgs.delete(org.id);

      expect(await store().orgs.findById(org.id)).toBeNull();
      expect(await store().memberships.listByTenant(org.id)).toEqual([]);
      expect(await store().entities.count(org.id)).toBe(0);
      expect(await store().sessions.findById(session.id)).toBeNull();
      expect(await store().sessions.findByRefreshTokenHash(refresh)).toBeNull();
      expect(await store().oneTimeTokens.consume(token.purpose, token.tokenHash, at(1))).toBeNull();
      expect((await store().audit.list(org.id, { limit: 10 })).events).toEqual([event]);
      expect(await store().users.findById(user.id)).not.toBeNull();
      expect(await store().memberships.findById(other.org.id, other.membership.id)).not.toBeNull();
      await expect(store().orgs.delete(org.id)).resolves.toBeUndefined();
    });

    it('does not re-create a deleted organization from a stale copy', async () => {
      const org = newOrganization();
      await store().orgs.save(org);
      const stale = await store().orgs.findById(org.id);
      if (!stale) throw new Error('not found');
      await store().orgs.delete(org.id);
      stale.rename('Ghost', at(1));
      await expectCode(store().orgs.save(stale), 'CONCURRENT_MODIFICATION');
      expect(await store().orgs.findById(org.id)).toBeNull();
    });

    it('treats an object it never handed out, with a stored id, as an update of that row', async () => {
      const org = newOrganization();
      await store().orgs.save(org);
      const twin = Organization.create({ id: org.id, slug: unique('twin'), name: 'Twin', now: T0 });
      await store().orgs.save(twin);
      expect(twin.version).toBe(2);
      expect((await store().orgs.findById(org.id))?.name).toBe('Twin');
    });
  });
};
