/**
 * The built-in organization roles belong to the access model; tenancy re-exports them
 * so memberships and access decisions share one definition.
 */
export { SYSTEM_ROLES, type SystemRole, isSystemRole } from '../access/system-role.js';
