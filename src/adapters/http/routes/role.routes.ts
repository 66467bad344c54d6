import { z } from 'zod';
import { presentAccess } from '../access-presenters.js';
import type { HttpDeps } from '../http-deps.js';
import { defineRoute, type RouteDef } from '../route.js';
import { CreateRoleBody, RoleParams, RoleView, UpdateRoleBody } from '../schemas/access.schemas.js';
import { OrgParam } from '../schemas/common.schemas.js';

const tag = 'Roles';

/** System and custom roles of an organization (docs/access-control.md). */
export function roleRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org/roles', operationId: 'listRoles', tag, auth: 'bearer', params: OrgParam,
      summary: 'The four system roles and the custom roles, each with its permissions',
      responses: { 200: { description: 'Roles', schema: z.object({ roles: z.array(RoleView) }) } },
      errors: ['TENANT_NOT_FOUND', 'ACCESS_DENIED'],
      handler: async ({ principal, params, meta }) => ({ status: 200, body: { roles: (await d.roles.list(principal, params.org, meta)).map(presentAccess.role) } }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/organizations/:org/roles', operationId: 'createRole', tag, auth: 'bearer', params: OrgParam, body: CreateRoleBody,
      summary: 'Create a custom role (role:manage); it may carry only permissions you hold',
      responses: { 201: { description: 'Created', schema: RoleView } },
      errors: ['ACCESS_DENIED', 'ACCESS_ESCALATION_DENIED', 'ACCESS_UNKNOWN_PERMISSION', 'ACCESS_INVALID_ROLE_KEY', 'ACCESS_RESERVED_ROLE_KEY', 'ACCESS_INVALID_ROLE_NAME', 'ACCESS_DUPLICATE_ROLE_KEY', 'TENANT_NOT_FOUND'],
      handler: async ({ principal, params, body, meta }) => ({ status: 201, body: presentAccess.role(await d.roles.create(principal, params.org, body, meta)) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org/roles/:role', operationId: 'getRole', tag, auth: 'bearer', params: RoleParams,
      summary: 'One role by key',
      responses: { 200: { description: 'Role', schema: RoleView } },
      errors: ['ROLE_NOT_FOUND', 'TENANT_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => ({ status: 200, body: presentAccess.role(await d.roles.get(principal, params.org, params.role, meta)) }),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/organizations/:org/roles/:role', operationId: 'updateRole', tag, auth: 'bearer', params: RoleParams, body: UpdateRoleBody,
      summary: "Rename a custom role or replace its permissions (role:manage); you must hold the role's permissions before and after",
      responses: { 200: { description: 'Role', schema: RoleView } },
      errors: ['ACCESS_DENIED', 'ACCESS_ESCALATION_DENIED', 'ACCESS_UNKNOWN_PERMISSION', 'ACCESS_INVALID_ROLE_NAME', 'ACCESS_RESERVED_ROLE_KEY', 'ROLE_NOT_FOUND', 'CONCURRENT_MODIFICATION'],
      handler: async ({ principal, params, body, meta }) => ({ status: 200, body: presentAccess.role(await d.roles.update(principal, params.org, params.role, body, meta)) }),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/organizations/:org/roles/:role', operationId: 'deleteRole', tag, auth: 'bearer', params: RoleParams,
      summary: 'Delete a custom role and unassign it from every member (role:manage)',
      responses: { 204: { description: 'Deleted' } },
      errors: ['ACCESS_DENIED', 'ACCESS_ESCALATION_DENIED', 'ACCESS_RESERVED_ROLE_KEY', 'ROLE_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => {
        await d.roles.delete(principal, params.org, params.role, meta);
        return { status: 204 };
      },
    }),
  ];
}
