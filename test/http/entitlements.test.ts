import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import { Entity } from '../../src/domain/tenancy/entity.js';
import { Membership } from '../../src/domain/tenancy/membership.js';
import { User } from '../../src/domain/tenancy/user.js';
import { type Harness, startHarness } from '../support/http-harness.js';
import { type AccessWorld, accessWorld } from './access-fixtures.js';

describe('entitlements over HTTP (docs/entitlements.md)', () => {
  let h: Harness;
  let store: Persistence;
  beforeAll(async () => {
    store = createInMemoryPersistence();
    h = await startHarness({ persistence: store });
  });
  afterAll(() => h.close());

  const path = (w: AccessWorld, rest: string) => `/api/v1/organizations/${w.org.id}${rest}`;
  const register = (w: AccessWorld, name: string) => h.call('POST', path(w, '/entities'), { token: w.admin.token, body: { type: 'boat', name } });
  const invite = (w: AccessWorld, email: string) => h.call('POST', path(w, '/members'), { token: w.admin.token, body: { email, role: 'member' } });
  const entitlements = async (w: AccessWorld) => (await h.call('GET', path(w, '/entitlements'), { token: w.admin.token })).body;
  const auditCount = async (w: AccessWorld, action: 'entity.created' | 'member.added') => (await store.audit.list(w.org.id, { action, limit: 500 })).events.length;
  async function setPlan(w: AccessWorld, plan: string | null): Promise<void> {
    const org = (await store.orgs.findById(w.org.id))!;
    org.plan = plan;
    await store.orgs.save(org);
  }

  it('shows any member the free plan of an organization nobody bought, with usage against its limits', async () => {
    const w = await accessWorld(h, 'ent-usage', { dave: 'viewer', carol: 'member' });
    await register(w, 'Boat 1');
    const res = await h.call('GET', `/api/v1/organizations/${w.org.slug}/entitlements`, { token: w.members['carol']!.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ plan: 'free', features: [], limits: { entities: { limit: 5, used: 1 }, members: { limit: 5, used: 3 } } });
    await setPlan(w, 'enterprise');
    expect(await entitlements(w)).toEqual({
      plan: 'enterprise',
      features: ['custom_roles', 'sso', 'audit_log_export', 'priority_support'],
      limits: { entities: { limit: null, used: 1 }, members: { limit: null, used: 3 } },
    });
  });

  it('answers TENANT_NOT_FOUND to someone outside the organization', async () => {
    const w = await accessWorld(h, 'ent-private', {});
    const other = await accessWorld(h, 'ent-outsider', {});
    const res = await h.call('GET', path(w, '/entitlements'), { token: other.admin.token });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('TENANT_NOT_FOUND');
  });

  it('refuses the entity past the limit with 409 ENTITLEMENT_EXCEEDED and writes nothing', async () => {
    const w = await accessWorld(h, 'ent-entities', {});
    for (let i = 1; i <= 5; i++) expect((await register(w, `Boat ${i}`)).status).toBe(201);
    const refused = await register(w, 'Boat 6');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ENTITLEMENT_EXCEEDED', details: { kind: 'entities', limit: 5, used: 5, plan: 'free' } });
    expect(await store.entities.count(w.org.id)).toBe(5);
    expect(await auditCount(w, 'entity.created')).toBe(5);
    expect((await entitlements(w)).limits.entities).toEqual({ limit: 5, used: 5 });

    // Deleting one frees the slot again.
    const [first] = await store.entities.list(w.org.id);
    expect((await h.call('DELETE', path(w, `/entities/${first!.id}`), { token: w.admin.token })).status).toBe(204);
    expect((await register(w, 'Boat 6')).status).toBe(201);
  });

  it('refuses the invitation past the seat limit with 409 ENTITLEMENT_EXCEEDED: no user, no membership, no mail', async () => {
    const w = await accessWorld(h, 'ent-seats', { bob: 'member' });
    // Seats count invited members too: admin, bob and three invitations fill the free plan's five.
    for (const name of ['x', 'y', 'z']) expect((await invite(w, `ent-seats-${name}@example.com`)).status).toBe(201);
    const refused = await invite(w, 'ent-seats-late@example.com');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ENTITLEMENT_EXCEEDED', details: { kind: 'members', limit: 5, used: 5, plan: 'free' } });
    expect(await store.users.findByEmail('ent-seats-late@example.com')).toBeNull();
    expect(await store.memberships.listByTenant(w.org.id)).toHaveLength(5);
    expect(await auditCount(w, 'member.added')).toBe(4);
    expect(await store.outbox.listRecent('ent-seats-late@example.com')).toEqual([]);
    expect(await store.outbox.listRecent('ent-seats-x@example.com')).not.toEqual([]);
    // An existing member is still told so, not that the plan is full.
    expect((await invite(w, 'ent-seats-bob@example.com')).body.code).toBe('MEMBER_ALREADY_EXISTS');
  });

  it('after a downgrade below usage keeps every entity and member and refuses additions until usage drops below the limit', async () => {
    const w = await accessWorld(h, 'ent-downgrade', {});
    await setPlan(w, 'professional');
    const now = h.clock.now();
    for (let i = 0; i < 55; i++) await store.entities.save(Entity.create({ id: randomUUID(), tenantId: w.org.id, type: 'unit', name: `Unit ${i}`, now }));
    for (let i = 0; i < 11; i++) {
      const user = User.create({ id: randomUUID(), email: `ent-downgrade-${i}@example.com`, status: 'invited', now });
      await store.users.save(user);
      await store.memberships.save(Membership.create({ id: randomUUID(), tenantId: w.org.id, userId: user.id, role: 'member', status: 'invited', now }));
    }
    expect((await register(w, 'Unit 56')).status).toBe(201);

    await setPlan(w, 'starter');
    expect(await entitlements(w)).toMatchObject({ plan: 'starter', limits: { entities: { limit: 50, used: 56 }, members: { limit: 10, used: 12 } } });
    const entity = await register(w, 'Unit 57');
    expect(entity.status).toBe(409);
    expect(entity.body).toMatchObject({ code: 'ENTITLEMENT_EXCEEDED', details: { kind: 'entities', limit: 50, used: 56, plan: 'starter' } });
    const member = await invite(w, 'ent-downgrade-late@example.com');
    expect(member.body).toMatchObject({ code: 'ENTITLEMENT_EXCEEDED', details: { kind: 'members', limit: 10, used: 12 } });
    // Nothing was deleted: every entity is still listed and readable.
    const listed = await h.call('GET', path(w, '/entities'), { token: w.admin.token });
    expect(listed.body.entities).toHaveLength(56);
    expect(await store.memberships.listByTenant(w.org.id)).toHaveLength(12);

    // Back under the limit (50 → 49 used), one addition fits again.
    for (const e of (await store.entities.list(w.org.id)).slice(0, 7)) await store.entities.delete(w.org.id, e.id);
    expect((await register(w, 'Unit 58')).status).toBe(201);
    expect((await register(w, 'Unit 59')).body.code).toBe('ENTITLEMENT_EXCEEDED');
  });

  it('documents the route and the refusals in the OpenAPI document', async () => {
    const doc = (await h.call('GET', '/openapi.json')).body;
    const op = doc.paths['/api/v1/organizations/{org}/entitlements'].get;
    expect(op.operationId).toBe('getEntitlements');
    expect(JSON.stringify(doc.paths['/api/v1/organizations/{org}/entities'].post)).toContain('ENTITLEMENT_EXCEEDED');
    expect(JSON.stringify(doc.paths['/api/v1/organizations/{org}/members'].post)).toContain('ENTITLEMENT_EXCEEDED');
  });
});
