import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../../domain/audit/audit-event.js';
import { Email, SystemRoleSchema } from './common.schemas.js';

const Policy = z.object({
  mfaRequired: z.boolean(),
  allowedAuthMethods: z.array(z.enum(['password', 'magic_link', 'passkey', 'sso'])),
  allowedEmailDomains: z.array(z.string()),
});

export const OrganizationView = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    status: z.enum(['provisioning', 'active', 'past_due', 'suspended', 'archived']),
    plan: z.string().nullable(),
    policy: Policy,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Organization' });

export const CreateOrganizationBody = z
  .object({ name: z.string().trim().min(1).max(100), slug: z.string().min(2).max(63).optional() })
  .meta({ id: 'CreateOrganizationRequest' });

export const UpdateOrganizationBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    slug: z.string().min(2).max(63).optional(),
    policy: z
      .object({
        mfaRequired: z.boolean().optional(),
        allowedAuthMethods: z.array(z.enum(['password', 'magic_link', 'passkey', 'sso'])).max(4).optional(),
        allowedEmailDomains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i).max(253)).max(50).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to update' })
  .meta({ id: 'UpdateOrganizationRequest' });

export const MemberView = z
  .object({
    id: z.string(),
    userId: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: SystemRoleSchema,
    customRoles: z.array(z.string()),
    status: z.enum(['active', 'invited']),
    createdAt: z.string(),
  })
  .meta({ id: 'Member' });

export const AddMemberBody = z.object({ email: Email, role: SystemRoleSchema.default('member') }).meta({ id: 'AddMemberRequest' });
export const ChangeRoleBody = z
  .object({
    role: SystemRoleSchema.optional(),
    customRoles: z.array(z.string().min(1).max(64)).max(20).optional().meta({ description: "Keys of the organization's custom roles; replaces the member's list" }),
  })
  .refine((v) => v.role !== undefined || v.customRoles !== undefined, { message: 'Give a role, customRoles, or both' })
  .meta({ id: 'ChangeMemberRoleRequest' });
export const MemberParams = z.object({ org: z.string().min(1).max(100), member: z.uuid() });
/** An invitation is a membership not accepted yet: its id is the member id `GET …/members` lists. */
export const InvitationParams = z.object({ org: z.string().min(1).max(100), id: z.uuid().meta({ description: 'Member id of the invited member' }) });

export const AuditEventView = z
  .object({
    id: z.string(),
    action: z.string(),
    outcome: z.enum(['success', 'failure']),
    actorUserId: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
    occurredAt: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const AuditQuery = z.object({
  actor: z.uuid().optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
