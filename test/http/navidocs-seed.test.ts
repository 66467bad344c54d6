// The example table of the NaviDocs seed (docs/access-control.md, "Worked example"), every cell,
// asked over HTTP through the decision API by each user with their own token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_LEVEL_PERMISSIONS, type EntityLevel } from '../../src/domain/access/entity-level.js';
import { type Harness, startHarness } from '../support/http-harness.js';
import { type AccessWorld, type Actor, accessWorld, decision, grant, registerEntity } from './access-fixtures.js';

const ENTITY_ACTIONS = ['entity:view', 'entity:edit', 'entity:create', 'entity:delete', 'entity:share', 'entity:manage_permissions'] as const;

type Cell = { level: EntityLevel | null; reason: string };
const TABLE: Record<'alice' | 'bob' | 'carol' | 'dave', [Cell, Cell, Cell]> = {
  alice: [{ level: 'admin', reason: 'org_role' }, { level: 'admin', reason: 'org_role' }, { level: 'admin', reason: 'org_role' }],
  bob: [{ level: 'manager', reason: 'org_role' }, { level: 'manager', reason: 'org_role' }, { level: 'manager', reason: 'org_role' }],
  carol: [{ level: 'editor', reason: 'grant' }, { level: null, reason: 'no_grant' }, { level: 'viewer', reason: 'grant' }],
  dave: [{ level: 'viewer', reason: 'org_viewer' }, { level: 'viewer', reason: 'org_viewer' }, { level: 'viewer', reason: 'org_viewer' }],
};

describe('the NaviDocs seed example over HTTP (Coastal Marine Services, three boats)', () => {
  let h: Harness;
  let world: AccessWorld;
  let users: Record<keyof typeof TABLE, Actor>;
  let boats: [string, string, string];

  beforeAll(async () => {
    h = await startHarness();
    world = await accessWorld(h, 'coastal-marine', { bob: 'manager', carol: 'member', dave: 'viewer' });
    users = { alice: world.admin, bob: world.members['bob']!, carol: world.members['carol']!, dave: world.members['dave']! };
    boats = [await registerEntity(h, world, 'Boat 1'), await registerEntity(h, world, 'Boat 2'), await registerEntity(h, world, 'Boat 3')];
    expect((await grant(h, world, users.alice, boats[0], users.carol, 'editor')).status).toBe(201);
    expect((await grant(h, world, users.alice, boats[2], users.carol, 'viewer')).status).toBe(201);
  });
  afterAll(() => h.close());

  for (const user of Object.keys(TABLE) as (keyof typeof TABLE)[]) {
    for (const boat of [0, 1, 2] as const) {
      const cell = TABLE[user][boat];
      it(`${user} on Boat ${boat + 1}: ${cell.level ?? 'No Access'} (${cell.reason}), every entity action`, async () => {
        const held: readonly string[] = cell.level ? ENTITY_LEVEL_PERMISSIONS[cell.level] : [];
        // One call per action …
        for (const action of ENTITY_ACTIONS) {
          expect(await decision(h, users[user], action, boats[boat]), action).toEqual({ allowed: held.includes(action), level: cell.level, reason: cell.reason });
        }
        // … and the same answers from one batch.
        const batch = await h.call('POST', '/api/v1/authorize', { token: users[user].token, body: { checks: ENTITY_ACTIONS.map((action) => ({ action, entity: boats[boat] })) } });
        expect(batch.status).toBe(200);
        expect(batch.body.results).toEqual(ENTITY_ACTIONS.map((action) => ({ allowed: held.includes(action), level: cell.level, reason: cell.reason })));
      });
    }
  }

  it('Carol on Boat 2 is exactly "No Access": { allowed: false, level: null, reason: no_grant }', async () => {
    expect(await decision(h, users.carol, 'entity:view', boats[1])).toEqual({ allowed: false, level: null, reason: 'no_grant' });
  });

  it('Alice fully manages everything; Bob manages all boats but not the organization; Dave changes nothing', async () => {
    expect(await decision(h, users.alice, 'organization:update')).toEqual({ allowed: true, level: null, reason: 'org_role' });
    expect(await decision(h, users.alice, 'billing:manage')).toEqual({ allowed: true, level: null, reason: 'org_role' });
    expect(await decision(h, users.bob, 'organization:update')).toEqual({ allowed: false, level: null, reason: 'org_role' });
    expect(await decision(h, users.bob, 'entity:share')).toEqual({ allowed: true, level: 'manager', reason: 'org_role' });
    expect(await decision(h, users.dave, 'entity:edit', boats[0])).toEqual({ allowed: false, level: 'viewer', reason: 'org_viewer' });
    expect(await decision(h, users.carol, 'entity:edit')).toEqual({ allowed: false, level: null, reason: 'org_role' });
  });

  it('the table holds through the API too: Carol lists Boats 1 and 3 only, edits Boat 1, cannot read Boat 2', async () => {
    const listed = await h.call('GET', `/api/v1/organizations/${world.org.id}/entities`, { token: users.carol.token });
    expect(listed.body.entities.map((e: { id: string }) => e.id).sort()).toEqual([boats[0], boats[2]].sort());
    expect((await h.call('PATCH', `/api/v1/organizations/${world.org.id}/entities/${boats[0]}`, { token: users.carol.token, body: { name: 'Boat One' } })).status).toBe(200);
    const denied = await h.call('GET', `/api/v1/organizations/${world.org.id}/entities/${boats[1]}`, { token: users.carol.token });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('ACCESS_DENIED');
    expect((await h.call('PATCH', `/api/v1/organizations/${world.org.id}/entities/${boats[2]}`, { token: users.carol.token, body: { name: 'x' } })).body.code).toBe('ACCESS_DENIED');
    expect((await h.call('DELETE', `/api/v1/organizations/${world.org.id}/entities/${boats[0]}`, { token: users.dave.token })).body.code).toBe('ACCESS_DENIED');
  });

  it('answers unknown actions without guessing and rejects malformed requests', async () => {
    expect(await decision(h, users.alice, 'entity:fly', boats[0])).toEqual({ allowed: false, level: null, reason: 'unknown_action' });
    const bad = await h.call('POST', '/api/v1/authorize', { token: users.alice.token, body: { checks: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect((await h.call('POST', '/api/v1/authorize', { body: { action: 'entity:view' } })).body.code).toBe('AUTH_REQUIRED');
  });
});
