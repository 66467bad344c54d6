import { expect } from 'vitest';
import type { SystemRole } from '../../src/domain/tenancy/system-role.js';
import { type Harness, signUp } from '../support/http-harness.js';

const PASSWORD = 'correct horse battery staple';

/** A signed-in member of one organization. */
export interface Actor {
  token: string;
  memberId: string;
  userId: string;
  email: string;
}

/** An organization with an admin and the members asked for, each signed in to it. */
export interface AccessWorld {
  org: { id: string; slug: string };
  admin: Actor;
  members: Record<string, Actor>;
}

/** Creates `prefix`'s organization (its admin is `<prefix>-admin`) and adds and signs in each member. */
export async function accessWorld(h: Harness, prefix: string, roles: Record<string, SystemRole>): Promise<AccessWorld> {
  const adminEmail = `${prefix}-admin@example.com`;
  const first = await signUp(h, adminEmail);
  const created = await h.call('POST', '/api/v1/organizations', { token: first.accessToken, body: { name: `${prefix} Org`, slug: prefix } });
  expect(created.status).toBe(201);
  const org = { id: created.body.id as string, slug: created.body.slug as string };
  const admin = await signIn(h, adminEmail, org.id);
  const members: Record<string, Actor> = {};
  for (const [name, role] of Object.entries(roles)) {
    const email = `${prefix}-${name}@example.com`;
    await signUp(h, email);
    const added = await h.call('POST', `/api/v1/organizations/${org.id}/members`, { token: admin.token, body: { email, role } });
    expect(added.status).toBe(201);
    members[name] = await signIn(h, email, org.id);
  }
  return { org, admin, members };
}

/** Signs in to one organization. */
export async function signIn(h: Harness, email: string, organization: string): Promise<Actor> {
  const login = await h.call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD, organization } });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return { token: login.body.accessToken, memberId: login.body.member.id, userId: login.body.user.id, email };
}

/** Registers an entity as `actor`; returns its id. */
export async function registerEntity(h: Harness, world: AccessWorld, name: string, actor: Actor = world.admin): Promise<string> {
  const res = await h.call('POST', `/api/v1/organizations/${world.org.id}/entities`, { token: actor.token, body: { type: 'boat', name } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Grants `member` a level on `entity` as `actor`; returns the response. */
export function grant(h: Harness, world: AccessWorld, actor: Actor, entity: string, member: Actor, level: string) {
  return h.call('POST', `/api/v1/organizations/${world.org.id}/entities/${entity}/grants`, { token: actor.token, body: { member: member.memberId, level } });
}

/** One decision through the decision API. */
export async function decision(h: Harness, actor: Actor, action: string, entity?: string): Promise<{ allowed: boolean; level: string | null; reason: string }> {
  const res = await h.call('POST', '/api/v1/authorize', { token: actor.token, body: { action, ...(entity ? { entity } : {}) } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { allowed: boolean; level: string | null; reason: string };
}
