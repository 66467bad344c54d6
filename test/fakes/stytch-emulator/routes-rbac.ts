import type { Policy } from 'stytch';
import { route, type Route } from './router.js';
import type { EmulatorStore } from './store.js';

const STYTCH_RESOURCES = ['stytch.organization', 'stytch.member', 'stytch.sso', 'stytch.scim', 'stytch.custom-org-roles', 'stytch.self'];

/** Stytch's default project policy: `stytch_admin` may do anything to the stytch.* resources, `stytch_member` to itself. */
export function defaultRbacPolicy(): Policy {
  return {
    roles: [
      { role_id: 'stytch_admin', description: 'Granted to members who create an organization', permissions: STYTCH_RESOURCES.map((resource_id) => ({ resource_id, actions: ['*'] })) },
      { role_id: 'stytch_member', description: 'Granted to every member', permissions: [{ resource_id: 'stytch.self', actions: ['*'] }] },
    ],
    resources: STYTCH_RESOURCES.map((resource_id) => ({ resource_id, description: '', actions: [] })),
    scopes: [],
  };
}

/** rbac.policy and the per-organization policy the SDK's local authorization check reads. */
export function rbacRoutes(store: EmulatorStore, policy: () => Policy): Route[] {
  return [
    route('GET', '/v1/b2b/rbac/policy', 'B2BRBACPolicyResponse', (ctx) => ({ ...ctx.ok, policy: structuredClone(policy()) })),
    route('GET', '/v1/b2b/rbac/organizations/:organization_id', 'B2BRBACOrganizationsGetOrgPolicyResponse', (ctx) => {
      const organization = store.organization(ctx.text('organization_id'));
      return { ...ctx.ok, org_policy: { roles: organization.custom_roles.map((role) => ({ role_id: role.role_id, description: role.description, permissions: role.permissions })) } };
    }),
  ];
}
