import { z } from 'zod';
import type { Me } from '../../../application/use-cases/get-me.js';
import { ENTITY_LEVELS } from '../../../domain/access/entity-level.js';
import type { HttpDeps } from '../http-deps.js';
import { present } from '../presenters.js';
import { defineRoute, type RouteDef } from '../route.js';
import { OrganizationView } from '../schemas/organization.schemas.js';

const MeView = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), emailVerified: z.boolean(), createdAt: z.string() }),
    organization: OrganizationView.nullable(),
    member: z
      .object({
        id: z.string(),
        role: z.string(),
        roles: z.array(z.string()),
        customRoles: z.array(z.string()),
        permissions: z.array(z.string()).meta({ description: 'Organization-wide permissions in the current organization (system role and custom roles)' }),
        entityLevel: z.enum(ENTITY_LEVELS).nullable().meta({ description: 'Level the system role confers on every entity; null for member' }),
        grants: z.array(z.object({ entityId: z.string(), level: z.enum(ENTITY_LEVELS) })).meta({ description: 'Explicit grants in effect (above the organization-wide level)' }),
      })
      .nullable(),
    memberships: z.array(
      z.object({ organization: z.object({ id: z.string(), slug: z.string(), name: z.string(), status: z.string() }), memberId: z.string(), role: z.string(), status: z.string() }),
    ),
  })
  .meta({ id: 'Me' });

function view(me: Me) {
  return {
    user: present.user(me.user),
    organization: me.current ? present.organization(me.current.organization) : null,
    member: me.current
      ? {
          id: me.current.membership.id,
          role: me.current.membership.role,
          roles: [me.current.membership.role, ...me.current.membership.customRoles],
          customRoles: me.current.membership.customRoles,
          permissions: [...(me.access?.permissions ?? [])],
          entityLevel: me.access?.entityLevel ?? null,
          grants: (me.access?.grants ?? []).map((g) => ({ entityId: g.entityId, level: g.level })),
        }
      : null,
    memberships: me.memberships.map(({ membership, organization }) => ({
      organization: { id: organization.id, slug: organization.slug, name: organization.name, status: organization.status },
      memberId: membership.id,
      role: membership.role,
      status: membership.status,
    })),
  };
}

/** The caller's own profile. */
export function meRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/me', operationId: 'getMe', tag: 'Me', auth: 'bearer',
      summary: 'The caller: user, memberships, current organization, roles and effective permissions',
      responses: { 200: { description: 'Me', schema: MeView } },
      errors: ['AUTH_REQUIRED', 'AUTH_TOKEN_INVALID', 'AUTH_SESSION_REVOKED'],
      handler: async ({ principal }) => ({ status: 200, body: view(await d.me.execute(principal)) }),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/me', operationId: 'updateMe', tag: 'Me', auth: 'bearer',
      body: z.object({ name: z.string().trim().min(1).max(200).nullable() }).strict(),
      summary: 'Change your display name',
      responses: { 200: { description: 'Me', schema: MeView } },
      handler: async ({ principal, body }) => ({ status: 200, body: view(await d.me.rename(principal, body.name)) }),
    }),
  ];
}
