import { z } from 'zod';
import { DECISION_REASONS } from '../../../domain/access/decision.js';
import { ENTITY_LEVELS } from '../../../domain/access/entity-level.js';
import { PERMISSIONS } from '../../../domain/access/permission.js';

const OrgRef = z.string().min(1).max(100).meta({ description: 'Organization id or slug' });
// Permissions and keys are checked by the access domain, which answers with its own codes
// (ACCESS_UNKNOWN_PERMISSION, ACCESS_INVALID_ROLE_KEY …); the schemas only bound their size.
const PermissionString = z.string().min(1).max(64).meta({ description: `A catalogued permission: ${PERMISSIONS.join(', ')}` });

export const EntityLevelSchema = z.enum(ENTITY_LEVELS).meta({ id: 'EntityLevel' });

export const RoleParams = z.object({ org: OrgRef, role: z.string().min(1).max(64).meta({ description: 'Role key (system or custom)' }) });

export const RoleView = z
  .object({
    key: z.string(),
    name: z.string(),
    system: z.boolean(),
    permissions: z.array(z.string()),
    entityLevel: EntityLevelSchema.nullable().meta({ description: 'Level a system role confers on every entity; null for custom roles' }),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'Role' });

export const CreateRoleBody = z
  .object({ key: z.string().min(1).max(64), name: z.string().max(200), permissions: z.array(PermissionString).max(64) })
  .strict()
  .meta({ id: 'CreateRoleRequest' });

export const UpdateRoleBody = z
  .object({ name: z.string().max(200).optional(), permissions: z.array(PermissionString).max(64).optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.permissions !== undefined, { message: 'Nothing to update' })
  .meta({ id: 'UpdateRoleRequest' });

export const EntityParams = z.object({ org: OrgRef, entity: z.uuid() });
export const GrantParams = z.object({ org: OrgRef, entity: z.uuid(), member: z.uuid().meta({ description: 'Member (membership) id' }) });

export const EntityView = z
  .object({ id: z.string(), type: z.string(), name: z.string(), externalId: z.string().nullable(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Entity' });

export const EntityListQuery = z.object({ type: z.string().min(1).max(64).optional() });

export const RegisterEntityBody = z
  .object({
    type: z.string().trim().min(1).max(64).meta({ description: 'What it is: boat, property, project …' }),
    name: z.string().trim().min(1).max(200),
    externalId: z.string().trim().min(1).max(200).nullable().optional().meta({ description: "The relying app's own id; unique per type" }),
  })
  .strict()
  .meta({ id: 'RegisterEntityRequest' });

export const RenameEntityBody = z.object({ name: z.string().trim().min(1).max(200) }).strict().meta({ id: 'UpdateEntityRequest' });

export const GrantView = z
  .object({ entityId: z.string(), memberId: z.string(), level: EntityLevelSchema, createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Grant' });

export const GrantBody = z.object({ member: z.uuid(), level: EntityLevelSchema }).strict().meta({ id: 'GrantRequest' });
export const ChangeGrantBody = z.object({ level: EntityLevelSchema }).strict().meta({ id: 'ChangeGrantRequest' });

const Check = z
  .object({ action: PermissionString, entity: z.string().min(1).max(100).optional().meta({ description: 'Entity id, for entity:* actions' }) })
  .strict();

export const AuthorizeBody = z
  .union([Check, z.object({ checks: z.array(Check).min(1).max(100) }).strict()])
  .meta({ id: 'AuthorizeRequest', description: 'One check `{action, entity?}` or a batch `{checks: [...]}` (at most 100)' });

export const DecisionView = z
  .object({
    allowed: z.boolean(),
    level: EntityLevelSchema.nullable(),
    reason: z.enum([...DECISION_REASONS, 'entity_not_found']),
  })
  .meta({ id: 'Decision' });

export const AuthorizeResponse = z.union([DecisionView, z.object({ results: z.array(DecisionView) })]).meta({ id: 'AuthorizeResponse' });
