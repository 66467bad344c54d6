// "A stale decision after a change is a bug": each change below is followed at once by a decision
// that must reflect it, while the organization's access view is otherwise served from the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessViews } from '../../src/application/services/access-views.js';
import { T } from '../../src/infrastructure/di/tokens.js';
import { type Harness, startHarness } from '../support/http-harness.js';
import { pglitePersistence } from '../support/test-database.js';
import { type AccessWorld, accessWorld, decision, grant, registerEntity, signIn } from './access-fixtures.js';

const stores = [
  ['in-memory', async () => ({})],
  ['PGlite', async () => ({ persistence: (await pglitePersistence()).persistence })],
] as const;

for (const [label, store] of stores) {
  describe(`access decisions follow every change at once [${label}]`, () => {
    let h: Harness;
    let views: AccessViews;
    beforeAll(async () => {
      h = await startHarness(await store());
      views = h.gatehouse.container.get<AccessViews>(T.AccessViews);
    });
    afterAll(() => h.close());

    const path = (w: AccessWorld, rest: string) => `/api/v1/organizations/${w.org.id}${rest}`;

    /** Asserts that `ask` is answered from the cached view (no rebuild) and returns its answer. */
    async function cached<T>(ask: () => Promise<T>): Promise<T> {
      await ask();
      const before = views.builds;
      const answer = await ask();
      expect(views.builds, 'served from the cached view').toBe(before);
      return answer;
    }

    it('grant, change and revoke', async () => {
      const w = await accessWorld(h, `inv-grant-${label.toLowerCase()}`, { bob: 'manager', carol: 'member' });
      const [bob, carol] = [w.members['bob']!, w.members['carol']!];
      const boat = await registerEntity(h, w, 'Boat');
      expect((await cached(() => decision(h, carol, 'entity:view', boat))).allowed).toBe(false);
      expect((await grant(h, w, bob, boat, carol, 'viewer')).status).toBe(201);
      expect(await decision(h, carol, 'entity:view', boat)).toEqual({ allowed: true, level: 'viewer', reason: 'grant' });
      expect((await cached(() => decision(h, carol, 'entity:edit', boat))).allowed).toBe(false);
      expect((await h.call('PATCH', path(w, `/entities/${boat}/grants/${carol.memberId}`), { token: bob.token, body: { level: 'editor' } })).status).toBe(200);
      expect(await decision(h, carol, 'entity:edit', boat)).toEqual({ allowed: true, level: 'editor', reason: 'grant' });
      await cached(() => decision(h, carol, 'entity:view', boat));
      expect((await h.call('DELETE', path(w, `/entities/${boat}/grants/${carol.memberId}`), { token: bob.token })).status).toBe(204);
      expect(await decision(h, carol, 'entity:view', boat)).toEqual({ allowed: false, level: null, reason: 'no_grant' });
    });

    it('system role change, of the caller and of someone else', async () => {
      const w = await accessWorld(h, `inv-role-${label.toLowerCase()}`, { dave: 'viewer' });
      const dave = w.members['dave']!;
      const boat = await registerEntity(h, w, 'Boat');
      expect((await cached(() => decision(h, dave, 'entity:view', boat))).allowed).toBe(true);
      await h.call('PATCH', path(w, `/members/${dave.memberId}`), { token: w.admin.token, body: { role: 'member' } });
      expect(await decision(h, dave, 'entity:view', boat)).toEqual({ allowed: false, level: null, reason: 'no_grant' });
      await cached(() => decision(h, dave, 'entity:delete', boat));
      await h.call('PATCH', path(w, `/members/${dave.memberId}`), { token: w.admin.token, body: { role: 'manager' } });
      expect(await decision(h, dave, 'entity:delete', boat)).toEqual({ allowed: true, level: 'manager', reason: 'org_role' });
      // The admin's own answers are cached too, and a change of Dave reaches the admin's next decision about sharing rules.
      expect((await cached(() => decision(h, w.admin, 'member:manage'))).allowed).toBe(true);
      const me = await cached(() => h.call('GET', '/api/v1/me', { token: dave.token }));
      expect(me.body.member.entityLevel).toBe('manager');
    });

    it('custom role edit, assignment, unassignment and deletion', async () => {
      const w = await accessWorld(h, `inv-custom-${label.toLowerCase()}`, { carol: 'member' });
      const carol = w.members['carol']!;
      const boat = await registerEntity(h, w, 'Boat');
      await h.call('POST', path(w, '/roles'), { token: w.admin.token, body: { key: 'crew', name: 'Crew', permissions: ['entity:view'] } });
      expect((await cached(() => decision(h, carol, 'entity:view', boat))).allowed).toBe(false);
      await h.call('PATCH', path(w, `/members/${carol.memberId}`), { token: w.admin.token, body: { customRoles: ['crew'] } });
      expect(await decision(h, carol, 'entity:view', boat)).toEqual({ allowed: true, level: null, reason: 'custom_role' });
      expect((await cached(() => decision(h, carol, 'entity:edit', boat))).allowed).toBe(false);
      await h.call('PATCH', path(w, '/roles/crew'), { token: w.admin.token, body: { permissions: ['entity:view', 'entity:edit'] } });
      expect((await decision(h, carol, 'entity:edit', boat)).allowed).toBe(true);
      await cached(() => decision(h, carol, 'entity:edit', boat));
      await h.call('PATCH', path(w, '/roles/crew'), { token: w.admin.token, body: { permissions: ['entity:view'] } });
      expect((await decision(h, carol, 'entity:edit', boat)).allowed).toBe(false);
      await cached(() => decision(h, carol, 'entity:view', boat));
      await h.call('PATCH', path(w, `/members/${carol.memberId}`), { token: w.admin.token, body: { customRoles: [] } });
      expect((await decision(h, carol, 'entity:view', boat)).allowed).toBe(false);
      await h.call('PATCH', path(w, `/members/${carol.memberId}`), { token: w.admin.token, body: { customRoles: ['crew'] } });
      expect((await cached(() => decision(h, carol, 'entity:view', boat))).allowed).toBe(true);
      expect((await h.call('DELETE', path(w, '/roles/crew'), { token: w.admin.token })).status).toBe(204);
      expect(await decision(h, carol, 'entity:view', boat)).toEqual({ allowed: false, level: null, reason: 'no_grant' });
    });

    it('member removal takes their grants with them', async () => {
      const w = await accessWorld(h, `inv-remove-${label.toLowerCase()}`, { carol: 'member', bob: 'manager' });
      const [carol, bob] = [w.members['carol']!, w.members['bob']!];
      const boat = await registerEntity(h, w, 'Boat');
      await grant(h, w, w.admin, boat, carol, 'admin');
      expect((await cached(() => decision(h, carol, 'entity:manage_permissions', boat))).allowed).toBe(true);
      await cached(() => decision(h, bob, 'entity:share', boat));
      expect((await h.call('DELETE', path(w, `/members/${carol.memberId}`), { token: w.admin.token })).status).toBe(204);
      expect((await h.call('POST', '/api/v1/authorize', { token: carol.token, body: { action: 'entity:view', entity: boat } })).body.code).toBe('AUTH_SESSION_REVOKED');
      expect((await h.call('GET', path(w, `/entities/${boat}/grants`), { token: bob.token })).body.grants).toEqual([]);
      // Back as a new member, nothing of the old grant remains.
      await h.call('POST', path(w, '/members'), { token: w.admin.token, body: { email: carol.email, role: 'member' } });
      const again = await signIn(h, carol.email, w.org.id);
      expect(await decision(h, again, 'entity:view', boat)).toEqual({ allowed: false, level: null, reason: 'no_grant' });
    });

    it('entity deletion', async () => {
      const w = await accessWorld(h, `inv-entity-${label.toLowerCase()}`, { carol: 'member' });
      const carol = w.members['carol']!;
      const boat = await registerEntity(h, w, 'Boat');
      await grant(h, w, w.admin, boat, carol, 'editor');
      expect((await cached(() => decision(h, carol, 'entity:edit', boat))).allowed).toBe(true);
      expect((await cached(() => decision(h, w.admin, 'entity:delete', boat))).allowed).toBe(true);
      expect((await h.call('DELETE', path(w, `/entities/${boat}`), { token: w.admin.token })).status).toBe(204);
      for (const actor of [carol, w.admin]) {
        const res = await h.call('POST', '/api/v1/authorize', { token: actor.token, body: { action: 'entity:view', entity: boat } });
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('ENTITY_NOT_FOUND');
      }
      expect((await h.call('POST', '/api/v1/authorize', { token: carol.token, body: { checks: [{ action: 'entity:view', entity: boat }] } })).body.results[0].reason).toBe('entity_not_found');
    });

    it('organization deletion drops its view', async () => {
      const w = await accessWorld(h, `inv-org-${label.toLowerCase()}`, {});
      await cached(() => decision(h, w.admin, 'organization:read'));
      expect((await h.call('DELETE', path(w, ''), { token: w.admin.token })).status).toBe(204);
      // The token's session ended with its organization: no decision is made on the dropped view at all.
      const after = await h.call('POST', '/api/v1/authorize', { token: w.admin.token, body: { action: 'organization:read' } });
      expect([after.status, after.body.code]).toEqual([401, 'AUTH_SESSION_REVOKED']);
    });
  });
}
