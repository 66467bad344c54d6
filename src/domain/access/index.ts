/**
 * Access control for Gatehouse organizations: permission catalogue, system and custom roles,
 * entity levels, anti-escalation rules and the compiled per-organization view behind `decide`.
 * See docs/access-control.md.
 */
export type { AccessError, AccessErrorCode } from './access-error.js';
export { buildOrganizationAccessView } from './build-organization-access-view.js';
export type {
  BuildOrganizationAccessViewOptions,
  BuildOrganizationAccessViewResult,
} from './build-organization-access-view.js';
export { canAssignPermissions } from './can-assign-permissions.js';
export type { PermissionAssignmentCheck } from './can-assign-permissions.js';
export { canGrant } from './can-grant.js';
export type { GrantCheck, GrantRefusal } from './can-grant.js';
export { validateCustomRole } from './custom-role.js';
export type { CustomRole, CustomRoleInput, CustomRoleValidation } from './custom-role.js';
export { decide } from './decide.js';
export { DECISION_REASONS } from './decision.js';
export type { Decision, DecisionReason } from './decision.js';
export { effectivePermissions } from './effective-permissions.js';
export type {
  EffectiveGrant,
  EffectivePermissions,
  EffectivePermissionsResult,
} from './effective-permissions.js';
export {
  ENTITY_LEVELS,
  ENTITY_LEVEL_PERMISSIONS,
  entityLevelOfRank,
  entityLevelRank,
  isEntityLevel,
} from './entity-level.js';
export type { EntityLevel } from './entity-level.js';
export { grantingLevel } from './granting-level.js';
export type {
  EntityGrant,
  MemberAccess,
  OrganizationAccessData,
  OrganizationAccessView,
} from './organization-access-view.js';
export { PERMISSIONS, isEntityPermission, isPermission } from './permission.js';
export type { EntityPermission, Permission } from './permission.js';
export {
  SYSTEM_ROLES,
  SYSTEM_ROLE_ENTITY_LEVEL,
  SYSTEM_ROLE_PERMISSIONS,
  isSystemRole,
} from './system-role.js';
export type { SystemRole } from './system-role.js';
