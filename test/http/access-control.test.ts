import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ROLE_PERMISSIONS } from '../../src/domain/access/system-role.js';
import { type Harness, startHarness } from '../support/http-harness.js';
import { type AccessWorld, accessWorld, decision, grant, registerEntity } from './access-fixtures.js';

describe('access control over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const path = (w: AccessWorld, rest = '') => `/api/v1/organizations/${w.org.id}${rest}`;

  describe('roles', () => {
    it('lists the system roles with their permission sets, then custom roles; admins create, change and delete custom roles', async () => {
      const w = await accessWorld(h, 'roles-crud', { dave: 'viewer' });
      const dave = w.members['dave']!;
      const listed = await h.call('GET', path(w, '/roles'), { token: dave.token });
      expect(listed.status).toBe(200);
      expect(listed.body.roles.map((r: { key: string }) => r.key)).toEqual(['admin', 'manager', 'member', 'viewer']);
      expect(listed.body.roles[1]).toMatchObject({ key: 'manager', system: true, entityLevel: 'manager', permissions: [...SYSTEM_ROLE_PERMISSIONS.manager] });

      const created = await h.call('POST', path(w, '/roles'), { token: w.admin.token, body: { key: 'skipper', name: 'Skipper', permissions: ['entity:edit', 'entity:view', 'entity:view'] } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ key: 'skipper', name: 'Skipper', system: false, permissions: ['entity:view', 'entity:edit'], entityLevel: null });
      expect((await h.call('GET', path(w, '/roles/skipper'), { token: dave.token })).body.name).toBe('Skipper');
      const patched = await h.call('PATCH', path(w, '/roles/skipper'), { token: w.admin.token, body: { name: 'Captain', permissions: ['entity:view'] } });
      expect(patched.body).toMatchObject({ name: 'Captain', permissions: ['entity:view'] });

      const codes = async (method: string, rest: string, body?: unknown) => (await h.call(method, path(w, rest), { token: w.admin.token, ...(body ? { body } : {}) })).body.code;
      expect(await codes('POST', '/roles', { key: 'skipper', name: 'Again', permissions: [] })).toBe('ACCESS_DUPLICATE_ROLE_KEY');
      expect(await codes('POST', '/roles', { key: 'pilot', name: 'Pilot', permissions: ['entity:fly'] })).toBe('ACCESS_UNKNOWN_PERMISSION');
      expect(await codes('POST', '/roles', { key: 'manager', name: 'Boss', permissions: [] })).toBe('ACCESS_RESERVED_ROLE_KEY');
      expect(await codes('POST', '/roles', { key: 'Bad Key', name: 'Bad', permissions: [] })).toBe('ACCESS_INVALID_ROLE_KEY');
      expect(await codes('POST', '/roles', { key: 'blank', name: '   ', permissions: [] })).toBe('ACCESS_INVALID_ROLE_NAME');
      expect(await codes('PATCH', '/roles/admin', { name: 'Root' })).toBe('ACCESS_RESERVED_ROLE_KEY');
      expect(await codes('GET', '/roles/nobody')).toBe('ROLE_NOT_FOUND');

      const notAllowed = await h.call('POST', path(w, '/roles'), { token: dave.token, body: { key: 'mine', name: 'Mine', permissions: [] } });
      expect(notAllowed.status).toBe(403);
      expect(notAllowed.body.code).toBe('ACCESS_DENIED');

      expect((await h.call('PATCH', path(w, `/members/${dave.memberId}`), { token: w.admin.token, body: { customRoles: ['skipper'] } })).body.customRoles).toEqual(['skipper']);
      expect((await h.call('DELETE', path(w, '/roles/skipper'), { token: w.admin.token })).status).toBe(204);
      const members = await h.call('GET', path(w, '/members'), { token: w.admin.token });
      expect(members.body.members.find((m: { id: string }) => m.id === dave.memberId).customRoles).toEqual([]);
      expect(await codes('DELETE', '/roles/skipper')).toBe('ROLE_NOT_FOUND');
    });

    it('refuses a custom role carrying a permission its creator lacks, and editing a role stronger than the editor', async () => {
      const w = await accessWorld(h, 'roles-escalation', { bob: 'manager' });
      const bob = w.members['bob']!;
      await h.call('POST', path(w, '/roles'), { token: w.admin.token, body: { key: 'role-keeper', name: 'Role keeper', permissions: ['role:manage'] } });
      await h.call('POST', path(w, '/roles'), { token: w.admin.token, body: { key: 'treasurer', name: 'Treasurer', permissions: ['billing:manage'] } });
      expect((await h.call('PATCH', path(w, `/members/${bob.memberId}`), { token: w.admin.token, body: { customRoles: ['role-keeper'] } })).status).toBe(200);

      const minted = await h.call('POST', path(w, '/roles'), { token: bob.token, body: { key: 'payer', name: 'Payer', permissions: ['entity:view', 'billing:manage'] } });
      expect(minted.status).toBe(403);
      expect(minted.body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect(minted.body.details).toMatchObject({ permission: 'role:manage', reason: 'not_held' });
      // An entity admin on one boat still cannot mint an organization-wide entity:manage_permissions role.
      expect((await h.call('POST', path(w, '/roles'), { token: bob.token, body: { key: 'boss', name: 'Boss', permissions: ['entity:manage_permissions'] } })).body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect((await h.call('POST', path(w, '/roles'), { token: bob.token, body: { key: 'deckhand', name: 'Deckhand', permissions: ['entity:view', 'entity:share'] } })).status).toBe(201);
      expect((await h.call('PATCH', path(w, '/roles/treasurer'), { token: bob.token, body: { name: 'Mine now' } })).body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect((await h.call('DELETE', path(w, '/roles/treasurer'), { token: bob.token })).body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect((await h.call('PATCH', path(w, '/roles/deckhand'), { token: bob.token, body: { permissions: ['entity:view', 'audit:read'] } })).body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect((await h.call('GET', path(w, '/roles/deckhand'), { token: bob.token })).body.permissions).toEqual(['entity:view', 'entity:share']);
    });

    it('refuses assigning a role (custom or system) that exceeds the assigner, and touching a stronger member', async () => {
      const w = await accessWorld(h, 'assign-escalation', { bob: 'manager', carol: 'member', dave: 'viewer' });
      const [bob, carol, dave] = [w.members['bob']!, w.members['carol']!, w.members['dave']!];
      await h.call('POST', path(w, '/roles'), { token: w.admin.token, body: { key: 'people', name: 'People', permissions: ['member:manage', 'member:invite'] } });
      await h.call('POST', path(w, '/roles'), { token: w.admin.token, body: { key: 'treasurer', name: 'Treasurer', permissions: ['billing:manage'] } });
      expect((await h.call('PATCH', path(w, `/members/${bob.memberId}`), { token: w.admin.token, body: { customRoles: ['people'] } })).status).toBe(200);

      const attempts = [
        h.call('PATCH', path(w, `/members/${carol.memberId}`), { token: bob.token, body: { customRoles: ['treasurer'] } }),
        h.call('PATCH', path(w, `/members/${carol.memberId}`), { token: bob.token, body: { role: 'admin' } }),
        h.call('PATCH', path(w, `/members/${w.admin.memberId}`), { token: bob.token, body: { role: 'viewer' } }),
        h.call('DELETE', path(w, `/members/${w.admin.memberId}`), { token: bob.token }),
        h.call('POST', path(w, '/members'), { token: bob.token, body: { email: 'assign-escalation-new@example.com', role: 'admin' } }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('ACCESS_ESCALATION_DENIED');
      }
      // Within what Bob holds, it works.
      expect((await h.call('PATCH', path(w, `/members/${dave.memberId}`), { token: bob.token, body: { role: 'manager', customRoles: ['people'] } })).body).toMatchObject({ role: 'manager', customRoles: ['people'] });
      expect((await h.call('PATCH', path(w, `/members/${carol.memberId}`), { token: bob.token, body: { customRoles: ['nope'] } })).body.code).toBe('ACCESS_UNKNOWN_CUSTOM_ROLE');
      // A plain member cannot change anyone, not even themselves.
      expect((await h.call('PATCH', path(w, `/members/${carol.memberId}`), { token: carol.token, body: { role: 'manager' } })).body.code).toBe('ACCESS_DENIED');
      // The last admin stays, whatever else changes.
      expect((await h.call('PATCH', path(w, `/members/${w.admin.memberId}`), { token: w.admin.token, body: { role: 'member' } })).body.code).toBe('MEMBER_LAST_ADMIN');
      expect((await h.call('PATCH', path(w, `/members/${w.admin.memberId}`), { token: w.admin.token, body: { customRoles: ['treasurer'] } })).status).toBe(200);
    });
  });

  describe('grants', () => {
    it('a manager cannot grant admin, nor change or revoke an admin grant; a member cannot grant themselves', async () => {
      const w = await accessWorld(h, 'grant-escalation', { bob: 'manager', carol: 'member', dave: 'member' });
      const [bob, carol, dave] = [w.members['bob']!, w.members['carol']!, w.members['dave']!];
      const boat = await registerEntity(h, w, 'Sea Breeze');

      const admin = await grant(h, w, bob, boat, carol, 'admin');
      expect(admin.status).toBe(403);
      expect(admin.body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect(admin.body.details).toMatchObject({ reason: 'above_own_level' });
      expect((await grant(h, w, bob, boat, carol, 'manager')).status).toBe(201);

      // Carol now manages the boat: she may share it, but not with herself or above manager.
      const self = await grant(h, w, carol, boat, carol, 'admin');
      expect(self.body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect((await h.call('PATCH', path(w, `/entities/${boat}/grants/${carol.memberId}`), { token: carol.token, body: { level: 'admin' } })).body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect((await grant(h, w, carol, boat, dave, 'admin')).body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect((await grant(h, w, carol, boat, dave, 'editor')).status).toBe(201);

      // Dave, an editor, cannot share at all (not even himself).
      const daveSelf = await grant(h, w, dave, boat, dave, 'manager');
      expect(daveSelf.status).toBe(403);
      expect(daveSelf.body.code).toBe('ACCESS_DENIED');

      // An admin's grant is out of a manager's reach.
      expect((await h.call('PATCH', path(w, `/entities/${boat}/grants/${dave.memberId}`), { token: w.admin.token, body: { level: 'admin' } })).status).toBe(200);
      expect((await h.call('PATCH', path(w, `/entities/${boat}/grants/${dave.memberId}`), { token: bob.token, body: { level: 'viewer' } })).body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect((await h.call('DELETE', path(w, `/entities/${boat}/grants/${dave.memberId}`), { token: carol.token })).body.code).toBe('ACCESS_ESCALATION_DENIED');
      expect((await grant(h, w, bob, boat, dave, 'viewer')).body.code).toBe('ACCESS_DUPLICATE_GRANT');

      // Anyone may give up their own grant.
      expect((await h.call('DELETE', path(w, `/entities/${boat}/grants/${carol.memberId}`), { token: carol.token })).status).toBe(204);
      expect((await h.call('DELETE', path(w, `/entities/${boat}/grants/${carol.memberId}`), { token: bob.token })).body.code).toBe('GRANT_NOT_FOUND');
      const listed = await h.call('GET', path(w, `/entities/${boat}/grants`), { token: bob.token });
      expect(listed.body.grants).toEqual([expect.objectContaining({ memberId: dave.memberId, level: 'admin', entityId: boat })]);
    });

    it('every refusal is audited as access.denied', async () => {
      const w = await accessWorld(h, 'denials-audited', { bob: 'manager', carol: 'member' });
      const boat = await registerEntity(h, w, 'Audit Boat');
      await grant(h, w, w.members['bob']!, boat, w.members['carol']!, 'admin');
      await h.call('PATCH', path(w), { token: w.members['bob']!.token, body: { name: 'pwned' } });
      await h.call('GET', path(w, `/entities/${boat}`), { token: w.members['carol']!.token });
      const log = await h.call('GET', path(w, '/audit-log?action=access.denied'), { token: w.admin.token });
      const attempts = log.body.events.map((e: { metadata: Record<string, unknown>; targetId: string | null }) => [e.metadata['attempted'], e.metadata['reason'], e.targetId]);
      expect(attempts).toEqual(
        expect.arrayContaining([
          ['entity:share', 'above_own_level', boat],
          ['organization:update', 'org_role', null],
          ['entity:view', 'no_grant', boat],
        ]),
      );
    });
  });

  describe('entities', () => {
    it('registers, lists, reads, renames and deletes entities; deleting removes their grants', async () => {
      const w = await accessWorld(h, 'entities-crud', { carol: 'member' });
      const carol = w.members['carol']!;
      const created = await h.call('POST', path(w, '/entities'), { token: w.admin.token, body: { type: 'boat', name: ' Sea Breeze ', externalId: 'hull-1' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ type: 'boat', name: 'Sea Breeze', externalId: 'hull-1' });
      const boat = created.body.id as string;
      expect((await h.call('POST', path(w, '/entities'), { token: w.admin.token, body: { type: 'boat', name: 'Twin', externalId: 'hull-1' } })).body.code).toBe('VALIDATION_FAILED');
      expect((await h.call('POST', path(w, '/entities'), { token: carol.token, body: { type: 'boat', name: 'Mine' } })).body.code).toBe('ACCESS_DENIED');
      expect((await h.call('GET', path(w, '/entities'), { token: carol.token })).body.entities).toEqual([]);

      await grant(h, w, w.admin, boat, carol, 'editor');
      expect((await h.call('GET', path(w, '/entities?type=boat'), { token: carol.token })).body.entities.map((e: { id: string }) => e.id)).toEqual([boat]);
      expect((await h.call('GET', path(w, '/entities?type=plane'), { token: carol.token })).body.entities).toEqual([]);
      expect((await h.call('PATCH', path(w, `/entities/${boat}`), { token: carol.token, body: { name: 'Renamed' } })).body.name).toBe('Renamed');
      expect((await h.call('DELETE', path(w, `/entities/${boat}`), { token: carol.token })).body.code).toBe('ACCESS_DENIED');
      expect((await h.call('DELETE', path(w, `/entities/${boat}`), { token: w.admin.token })).status).toBe(204);
      expect((await h.call('GET', path(w, `/entities/${boat}`), { token: w.admin.token })).body.code).toBe('ENTITY_NOT_FOUND');
      expect((await h.call('GET', path(w, `/entities/${boat}/grants`), { token: w.admin.token })).body.code).toBe('ENTITY_NOT_FOUND');
      expect((await h.call('POST', '/api/v1/authorize', { token: w.admin.token, body: { action: 'entity:view', entity: boat } })).body.code).toBe('ENTITY_NOT_FOUND');
    });
  });

  describe('effective permissions in /me', () => {
    it('shows organization-wide permissions, the level on every entity and the grants in effect', async () => {
      const w = await accessWorld(h, 'me-permissions', { carol: 'member', dave: 'viewer' });
      const [carol, dave] = [w.members['carol']!, w.members['dave']!];
      const boat = await registerEntity(h, w, 'Me Boat');
      await grant(h, w, w.admin, boat, carol, 'editor');
      await h.call('POST', path(w, '/roles'), { token: w.admin.token, body: { key: 'spender', name: 'Spender', permissions: ['credits:spend'] } });
      await h.call('PATCH', path(w, `/members/${carol.memberId}`), { token: w.admin.token, body: { customRoles: ['spender'] } });

      const me = (await h.call('GET', '/api/v1/me', { token: carol.token })).body.member;
      expect(me).toMatchObject({ role: 'member', roles: ['member', 'spender'], customRoles: ['spender'], entityLevel: null, grants: [{ entityId: boat, level: 'editor' }] });
      expect(me.permissions).toEqual(['member:read', 'organization:read', 'credits:spend']);
      const viewer = (await h.call('GET', '/api/v1/me', { token: dave.token })).body.member;
      expect(viewer).toMatchObject({ entityLevel: 'viewer', grants: [], permissions: [...SYSTEM_ROLE_PERMISSIONS.viewer] });
      expect((await h.call('GET', '/api/v1/me', { token: w.admin.token })).body.member.permissions).toEqual([...SYSTEM_ROLE_PERMISSIONS.admin]);
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 for another tenant's organization, entities, grants, members and roles, and changes nothing", async () => {
      const a = await accessWorld(h, 'iso-a', { bob: 'member' });
      const b = await accessWorld(h, 'iso-b', { eve: 'member' });
      const theirBoat = await registerEntity(h, b, 'Their Boat');
      const ourBoat = await registerEntity(h, a, 'Our Boat');
      await grant(h, b, b.admin, theirBoat, b.members['eve']!, 'viewer');
      await h.call('POST', path(b, '/roles'), { token: b.admin.token, body: { key: 'secret', name: 'Secret', permissions: [] } });
      const eve = b.members['eve']!;
      const admin = a.admin.token;

      const expectCode = async (promise: Promise<{ status: number; body: Record<string, unknown> }>, code: string) => {
        const res = await promise;
        expect(res.status, JSON.stringify(res.body)).toBe(404);
        expect(res.body['code']).toBe(code);
      };
      await expectCode(h.call('GET', path(a, `/entities/${theirBoat}`), { token: admin }), 'ENTITY_NOT_FOUND');
      await expectCode(h.call('PATCH', path(a, `/entities/${theirBoat}`), { token: admin, body: { name: 'pwned' } }), 'ENTITY_NOT_FOUND');
      await expectCode(h.call('DELETE', path(a, `/entities/${theirBoat}`), { token: admin }), 'ENTITY_NOT_FOUND');
      await expectCode(h.call('GET', path(a, `/entities/${theirBoat}/grants`), { token: admin }), 'ENTITY_NOT_FOUND');
      await expectCode(h.call('POST', path(a, `/entities/${theirBoat}/grants`), { token: admin, body: { member: a.members['bob']!.memberId, level: 'admin' } }), 'ENTITY_NOT_FOUND');
      await expectCode(h.call('PATCH', path(a, `/entities/${theirBoat}/grants/${eve.memberId}`), { token: admin, body: { level: 'admin' } }), 'ENTITY_NOT_FOUND');
      await expectCode(h.call('DELETE', path(a, `/entities/${theirBoat}/grants/${eve.memberId}`), { token: admin }), 'ENTITY_NOT_FOUND');
      await expectCode(h.call('POST', path(a, `/entities/${ourBoat}/grants`), { token: admin, body: { member: eve.memberId, level: 'viewer' } }), 'MEMBER_NOT_FOUND');
      await expectCode(h.call('PATCH', path(a, `/entities/${ourBoat}/grants/${eve.memberId}`), { token: admin, body: { level: 'viewer' } }), 'MEMBER_NOT_FOUND');
      await expectCode(h.call('GET', path(a, '/roles/secret'), { token: admin }), 'ROLE_NOT_FOUND');
      await expectCode(h.call('PATCH', path(a, '/roles/secret'), { token: admin, body: { name: 'Mine' } }), 'ROLE_NOT_FOUND');
      await expectCode(h.call('DELETE', path(a, '/roles/secret'), { token: admin }), 'ROLE_NOT_FOUND');
      await expectCode(h.call('PATCH', path(a, `/members/${eve.memberId}`), { token: admin, body: { customRoles: [] } }), 'MEMBER_NOT_FOUND');
      await expectCode(h.call('GET', path(b, '/roles'), { token: admin }), 'TENANT_NOT_FOUND');
      await expectCode(h.call('GET', path(b, '/entities'), { token: admin }), 'TENANT_NOT_FOUND');
      await expectCode(h.call('POST', '/api/v1/authorize', { token: admin, body: { action: 'entity:view', entity: theirBoat } }), 'ENTITY_NOT_FOUND');
      const batch = await h.call('POST', '/api/v1/authorize', { token: admin, body: { checks: [{ action: 'entity:delete', entity: theirBoat }, { action: 'entity:delete', entity: ourBoat }] } });
      expect(batch.body.results).toEqual([
        { allowed: false, level: null, reason: 'entity_not_found' },
        { allowed: true, level: 'admin', reason: 'org_role' },
      ]);
      expect((await h.call('PATCH', path(a, `/members/${a.members['bob']!.memberId}`), { token: admin, body: { customRoles: ['secret'] } })).body.code).toBe('ACCESS_UNKNOWN_CUSTOM_ROLE');

      // Nothing of tenant B changed.
      expect((await h.call('GET', path(b, `/entities/${theirBoat}`), { token: b.admin.token })).body.name).toBe('Their Boat');
      expect((await h.call('GET', path(b, `/entities/${theirBoat}/grants`), { token: b.admin.token })).body.grants).toEqual([expect.objectContaining({ memberId: eve.memberId, level: 'viewer' })]);
      expect(await decision(h, eve, 'entity:view', theirBoat)).toEqual({ allowed: true, level: 'viewer', reason: 'grant' });
    });
  });
});
