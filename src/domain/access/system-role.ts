import { ENTITY_LEVEL_PERMISSIONS } from './entity-level.js';
import type { EntityLevel } from './entity-level.js';
import { PERMISSIONS } from './permission.js';
import type { Permission } from './permission.js';

/**
 * The built-in organization roles, most senior first: `admin > manager > member > viewer`.
 *
 * Seniority is for display and for the `member`/`viewer` distinction only; what a role may do is
 * exactly {@link SYSTEM_ROLE_PERMISSIONS}. Note that a `viewer` reads every entity while a
 * `member` without grants reads none: the two are not ordered by permission sets.
 */
export const SYSTEM_ROLES = ['admin', 'manager', 'member', 'viewer'] as const;

/** One of the four built-in organization roles. Every member holds exactly one. */
export type SystemRole = (typeof SYSTEM_ROLES)[number];

/**
 * The entity level a system role confers on every entity of the organization.
 * `member` confers none: members see only what they are granted per entity.
 */
export const SYSTEM_ROLE_ENTITY_LEVEL: Readonly<Record<SystemRole, EntityLevel | null>> =
  Object.freeze({ admin: 'admin', manager: 'manager', member: null, viewer: 'viewer' });

/**
 * Organization-wide permissions of each system role. The `entity:*` part of each set is
 * exactly the permissions of {@link SYSTEM_ROLE_ENTITY_LEVEL}, so both views always agree.
 *
 * - admin: everything, including billing, members, roles, audit and deleting the organization.
 * - manager: manager level on every entity (so may grant entity access), reads the organization,
 *   members and credit balance, spends credits; no organization settings, billing, invitations,
 *   role management or audit log.
 * - member: reads the organization and its member list; entity access comes only from grants.
 * - viewer: viewer level on every entity, reads the organization, members and credit balance.
 *   The audit log and billing stay admin-only: they carry security and payment data.
 */
export const SYSTEM_ROLE_PERMISSIONS: Readonly<Record<SystemRole, readonly Permission[]>> =
  Object.freeze({
    admin: Object.freeze([...PERMISSIONS]),
    manager: Object.freeze([
      ...ENTITY_LEVEL_PERMISSIONS.manager,
      'member:read',
      'organization:read',
      'credits:spend',
      'credits:read',
    ] as const),
    member: Object.freeze(['member:read', 'organization:read'] as const),
    viewer: Object.freeze([
      ...ENTITY_LEVEL_PERMISSIONS.viewer,
      'member:read',
      'organization:read',
      'credits:read',
    ] as const),
  });

/** Narrows an untrusted value (stored row, request body) to a system role. */
export function isSystemRole(value: unknown): value is SystemRole {
  return typeof value === 'string' && (SYSTEM_ROLES as readonly string[]).includes(value);
}
