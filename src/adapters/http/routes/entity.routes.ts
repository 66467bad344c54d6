import { z } from 'zod';
import { presentAccess } from '../access-presenters.js';
import type { HttpDeps } from '../http-deps.js';
import { defineRoute, type RouteDef } from '../route.js';
import { ChangeGrantBody, EntityListQuery, EntityParams, EntityView, GrantBody, GrantParams, GrantView, RegisterEntityBody, RenameEntityBody } from '../schemas/access.schemas.js';
import { OrgParam } from '../schemas/common.schemas.js';

const tag = 'Entities';

/** Entities of an organization and the per-entity grants on them (docs/access-control.md). */
export function entityRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org/entities', operationId: 'listEntities', tag, auth: 'bearer', params: OrgParam, query: EntityListQuery,
      summary: 'The entities you may view, oldest first',
      responses: { 200: { description: 'Entities', schema: z.object({ entities: z.array(EntityView) }) } },
      errors: ['TENANT_NOT_FOUND'],
      handler: async ({ principal, params, query }) => ({ status: 200, body: { entities: (await d.entities.list(principal, params.org, query)).map(presentAccess.entity) } }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/organizations/:org/entities', operationId: 'registerEntity', tag, auth: 'bearer', params: OrgParam, body: RegisterEntityBody,
      summary: 'Register an entity (entity:create organization-wide)',
      responses: { 201: { description: 'Registered', schema: EntityView } },
      errors: ['ACCESS_DENIED', 'TENANT_NOT_FOUND', 'VALIDATION_FAILED', 'ENTITLEMENT_EXCEEDED'],
      handler: async ({ principal, params, body, meta }) => ({ status: 201, body: presentAccess.entity(await d.entities.register(principal, params.org, body, meta)) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org/entities/:entity', operationId: 'getEntity', tag, auth: 'bearer', params: EntityParams,
      summary: 'Read an entity (entity:view on it)',
      responses: { 200: { description: 'Entity', schema: EntityView } },
      errors: ['ACCESS_DENIED', 'ENTITY_NOT_FOUND', 'TENANT_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => ({ status: 200, body: presentAccess.entity(await d.entities.get(principal, params.org, params.entity, meta)) }),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/organizations/:org/entities/:entity', operationId: 'renameEntity', tag, auth: 'bearer', params: EntityParams, body: RenameEntityBody,
      summary: 'Rename an entity (entity:edit on it)',
      responses: { 200: { description: 'Entity', schema: EntityView } },
      errors: ['ACCESS_DENIED', 'ENTITY_NOT_FOUND', 'CONCURRENT_MODIFICATION'],
      handler: async ({ principal, params, body, meta }) => ({ status: 200, body: presentAccess.entity(await d.entities.rename(principal, params.org, params.entity, body.name, meta)) }),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/organizations/:org/entities/:entity', operationId: 'deleteEntity', tag, auth: 'bearer', params: EntityParams,
      summary: 'Delete an entity and every grant on it (entity:delete on it)',
      responses: { 204: { description: 'Deleted' } },
      errors: ['ACCESS_DENIED', 'ENTITY_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => {
        await d.entities.delete(principal, params.org, params.entity, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org/entities/:entity/grants', operationId: 'listGrants', tag, auth: 'bearer', params: EntityParams,
      summary: 'Explicit grants on an entity (entity:view on it)',
      responses: { 200: { description: 'Grants', schema: z.object({ grants: z.array(GrantView) }) } },
      errors: ['ACCESS_DENIED', 'ENTITY_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => ({ status: 200, body: { grants: (await d.grants.list(principal, params.org, params.entity, meta)).map(presentAccess.grant) } }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/organizations/:org/entities/:entity/grants', operationId: 'grantAccess', tag, auth: 'bearer', params: EntityParams, body: GrantBody,
      summary: 'Grant a member a level on the entity (entity:share; never above your own level there, never to yourself)',
      responses: { 201: { description: 'Granted', schema: GrantView } },
      errors: ['ACCESS_DENIED', 'ACCESS_ESCALATION_DENIED', 'ACCESS_DUPLICATE_GRANT', 'ENTITY_NOT_FOUND', 'MEMBER_NOT_FOUND'],
      handler: async ({ principal, params, body, meta }) => ({ status: 201, body: presentAccess.grant(await d.grants.grant(principal, params.org, params.entity, body, meta)) }),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/organizations/:org/entities/:entity/grants/:member', operationId: 'changeGrant', tag, auth: 'bearer', params: GrantParams, body: ChangeGrantBody,
      summary: "Change a member's level on the entity (entity:share; the old and the new level at most your own)",
      responses: { 200: { description: 'Changed', schema: GrantView } },
      errors: ['ACCESS_DENIED', 'ACCESS_ESCALATION_DENIED', 'GRANT_NOT_FOUND', 'ENTITY_NOT_FOUND', 'MEMBER_NOT_FOUND', 'CONCURRENT_MODIFICATION'],
      handler: async ({ principal, params, body, meta }) => ({
        status: 200,
        body: presentAccess.grant(await d.grants.change(principal, params.org, params.entity, params.member, body.level, meta)),
      }),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/organizations/:org/entities/:entity/grants/:member', operationId: 'revokeGrant', tag, auth: 'bearer', params: GrantParams,
      summary: "Revoke a member's grant (entity:share and a level at least theirs; anyone may give up their own)",
      responses: { 204: { description: 'Revoked' } },
      errors: ['ACCESS_DENIED', 'ACCESS_ESCALATION_DENIED', 'GRANT_NOT_FOUND', 'ENTITY_NOT_FOUND', 'MEMBER_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => {
        await d.grants.revoke(principal, params.org, params.entity, params.member, meta);
        return { status: 204 };
      },
    }),
  ];
}
