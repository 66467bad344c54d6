import { z } from 'zod';
import type { HttpDeps } from '../http-deps.js';
import { present } from '../presenters.js';
import { defineRoute, type RouteDef } from '../route.js';
import { OrgParam } from '../schemas/common.schemas.js';
import {
  AddMemberBody,
  AuditEventView,
  AuditQuery,
  ChangeRoleBody,
  CreateOrganizationBody,
  InvitationParams,
  MemberParams,
  MemberView,
  OrganizationView,
  UpdateOrganizationBody,
} from '../schemas/organization.schemas.js';

const tag = 'Organizations';

/** Organizations, their members and their audit log. */
export function organizationRoutes(d: HttpDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/organizations', operationId: 'listOrganizations', tag, auth: 'bearer',
      summary: 'Organizations you belong to',
      responses: { 200: { description: 'Organizations', schema: z.object({ organizations: z.array(OrganizationView.extend({ role: z.string() })) }) } },
      handler: async ({ principal }) => {
        const me = await d.me.execute(principal);
        return { status: 200, body: { organizations: me.memberships.filter((m) => m.membership.isActive).map((m) => ({ ...present.organization(m.organization), role: m.membership.role })) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/organizations', operationId: 'createOrganization', tag, auth: 'bearer', body: CreateOrganizationBody,
      summary: 'Create an organization; you become its admin',
      responses: { 201: { description: 'Created', schema: OrganizationView } },
      errors: ['TENANT_SLUG_TAKEN', 'TENANT_SLUG_INVALID'],
      handler: async ({ principal, body, meta }) => ({ status: 201, body: present.organization((await d.organizations.create(principal.userId, body, meta)).org) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org', operationId: 'getOrganization', tag, auth: 'bearer', params: OrgParam,
      summary: 'Read an organization you belong to',
      responses: { 200: { description: 'Organization', schema: OrganizationView } },
      errors: ['TENANT_NOT_FOUND', 'TENANT_ARCHIVED'],
      handler: async ({ principal, params, meta }) => ({ status: 200, body: present.organization(await d.organizations.get(principal, params.org, meta)) }),
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/organizations/:org', operationId: 'updateOrganization', tag, auth: 'bearer', params: OrgParam, body: UpdateOrganizationBody,
      summary: 'Update name, slug or policy (admin)',
      responses: { 200: { description: 'Organization', schema: OrganizationView } },
      errors: ['ACCESS_DENIED', 'TENANT_NOT_FOUND', 'TENANT_SLUG_TAKEN', 'CONCURRENT_MODIFICATION'],
      handler: async ({ principal, params, body, meta }) => ({ status: 200, body: present.organization(await d.organizations.update(principal, params.org, body, meta)) }),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/organizations/:org', operationId: 'deleteOrganization', tag, auth: 'bearer', params: OrgParam,
      summary: 'Delete the organization and everything it owns (admin)',
      responses: { 204: { description: 'Deleted' } },
      errors: ['ACCESS_DENIED', 'TENANT_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => {
        await d.organizations.delete(principal, params.org, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org/members', operationId: 'listMembers', tag, auth: 'bearer', params: OrgParam,
      summary: 'List members',
      responses: { 200: { description: 'Members', schema: z.object({ members: z.array(MemberView) }) } },
      errors: ['TENANT_NOT_FOUND'],
      handler: async ({ principal, params, meta }) => ({ status: 200, body: { members: (await d.members.list(principal, params.org, meta)).map((m) => present.member(m.membership, m.user)) } }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/organizations/:org/members', operationId: 'addMember', tag, auth: 'bearer', params: OrgParam, body: AddMemberBody,
      summary: 'Add a member by email (member:invite; never with a role stronger than yours)',
      responses: { 201: { description: 'Added', schema: MemberView } },
      errors: ['ACCESS_DENIED', 'ACCESS_ESCALATION_DENIED', 'MEMBER_ALREADY_EXISTS', 'ENTITLEMENT_EXCEEDED'],
      handler: async ({ principal, params, body, meta }) => {
        const added = await d.members.add(principal, params.org, body, meta);
        return { status: 201, body: present.member(added.membership, added.user) };
      },
    }),
    defineRoute({
      method: 'patch', path: '/api/v1/organizations/:org/members/:member', operationId: 'changeMemberRole', tag, auth: 'bearer', params: MemberParams, body: ChangeRoleBody,
      summary: "Change a member's system role and/or custom roles (member:manage); never to or from more than you hold; the last admin cannot be demoted",
      responses: { 200: { description: 'Changed', schema: z.object({ id: z.string(), role: z.string(), customRoles: z.array(z.string()) }) } },
      errors: ['ACCESS_DENIED', 'ACCESS_ESCALATION_DENIED', 'ACCESS_UNKNOWN_CUSTOM_ROLE', 'MEMBER_NOT_FOUND', 'MEMBER_LAST_ADMIN', 'CONCURRENT_MODIFICATION'],
      handler: async ({ principal, params, body, meta }) => {
        const m = await d.members.changeRole(principal, params.org, params.member, body, meta);
        return { status: 200, body: { id: m.id, role: m.role, customRoles: m.customRoles } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/organizations/:org/members/:member', operationId: 'removeMember', tag, auth: 'bearer', params: MemberParams,
      summary: 'Remove a member (admin); the last admin cannot be removed',
      responses: { 204: { description: 'Removed' } },
      errors: ['ACCESS_DENIED', 'MEMBER_NOT_FOUND', 'MEMBER_LAST_ADMIN'],
      handler: async ({ principal, params, meta }) => {
        await d.members.remove(principal, params.org, params.member, meta);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/organizations/:org/invitations/:id/resend', operationId: 'resendInvitation', tag, auth: 'bearer', params: InvitationParams,
      summary: 'Mail a pending invitation again (member:invite): a fresh activation or sign-in link; at most 3 per hour per address',
      responses: { 202: { description: 'Mailed', schema: z.object({ status: z.literal('accepted') }) } },
      errors: ['ACCESS_DENIED', 'MEMBER_NOT_FOUND', 'INVITATION_NOT_PENDING', 'IDENTITY_CAPABILITY_UNSUPPORTED', 'RATE_LIMITED'],
      handler: async ({ principal, params, meta }) => {
        await d.members.resendInvitation(principal, params.org, params.id, meta);
        return { status: 202, body: { status: 'accepted' as const } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/organizations/:org/invitations/:id', operationId: 'revokeInvitation', tag, auth: 'bearer', params: InvitationParams,
      summary: 'Revoke a pending invitation (admin); its links stop leading into the organization',
      responses: { 204: { description: 'Revoked' } },
      errors: ['ACCESS_DENIED', 'MEMBER_NOT_FOUND', 'INVITATION_NOT_PENDING'],
      handler: async ({ principal, params, meta }) => {
        await d.members.remove(principal, params.org, params.id, meta, { invitationOnly: true });
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/organizations/:org/audit-log', operationId: 'readAuditLog', tag, auth: 'bearer', params: OrgParam, query: AuditQuery,
      summary: 'Security events of the organization (admin), newest first, cursor-paginated',
      responses: { 200: { description: 'Events', schema: z.object({ events: z.array(AuditEventView), nextCursor: z.string().nullable() }) } },
      errors: ['ACCESS_DENIED', 'TENANT_NOT_FOUND'],
      handler: async ({ principal, params, query, meta }) => {
        const page = await d.auditLog.execute(
          principal,
          params.org,
          {
            limit: query.limit,
            ...(query.actor ? { actorUserId: query.actor } : {}),
            ...(query.action ? { action: query.action } : {}),
            ...(query.from ? { from: new Date(query.from) } : {}),
            ...(query.to ? { to: new Date(query.to) } : {}),
            ...(query.cursor ? { cursor: query.cursor } : {}),
          },
          meta,
        );
        return { status: 200, body: { events: page.events.map(present.auditEvent), nextCursor: page.nextCursor } };
      },
    }),
  ];
}
