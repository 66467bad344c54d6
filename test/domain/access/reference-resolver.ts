// A deliberately slow, obviously-correct restatement of docs/access-control.md, written with
// plain arrays and no masks, interning or shared tables. It imports only types from src so a
// bug in the fast tables cannot leak into the oracle.
import type {
  Decision,
  DecisionReason,
  EntityLevel,
  OrganizationAccessData,
  Permission,
} from '../../../src/domain/access/index.js';

export const CATALOGUE: readonly Permission[] = [
  'entity:view', 'entity:edit', 'entity:create', 'entity:delete', 'entity:share',
  'entity:manage_permissions', 'member:read', 'member:invite', 'member:manage', 'role:manage',
  'organization:read', 'organization:update', 'organization:delete', 'billing:manage',
  'audit:read', 'credits:spend', 'credits:read',
];

const LEVELS_LOW_TO_HIGH: readonly EntityLevel[] = ['viewer', 'editor', 'manager', 'admin'];

export const LEVEL_ACTIONS: Record<EntityLevel, readonly string[]> = {
  viewer: ['entity:view'],
  editor: ['entity:view', 'entity:edit', 'entity:create'],
  manager: ['entity:view', 'entity:edit', 'entity:create', 'entity:delete', 'entity:share'],
  admin: ['entity:view', 'entity:edit', 'entity:create', 'entity:delete', 'entity:share', 'entity:manage_permissions'],
};

export const ROLE_ORG_PERMISSIONS: Record<string, readonly string[]> = {
  admin: CATALOGUE,
  manager: [...LEVEL_ACTIONS.manager, 'member:read', 'organization:read', 'credits:spend', 'credits:read'],
  member: ['member:read', 'organization:read'],
  viewer: ['entity:view', 'member:read', 'organization:read', 'credits:read'],
};

function levelIndex(level: EntityLevel | null): number {
  return level === null ? -1 : LEVELS_LOW_TO_HIGH.indexOf(level);
}

function customPermissions(org: OrganizationAccessData, memberId: string): string[] {
  const member = org.members.find((candidate) => candidate.memberId === memberId);
  if (member === undefined) return [];
  return org.customRoles
    .filter((role) => member.customRoleKeys.includes(role.key))
    .flatMap((role) => [...role.permissions]);
}

/** The member's level on an entity (or organization-wide) and the rule that set it. */
export function referenceLevel(
  org: OrganizationAccessData,
  memberId: string,
  entityId: string | undefined,
): { level: EntityLevel | null; reason: DecisionReason } {
  const member = org.members.find((candidate) => candidate.memberId === memberId);
  if (member === undefined) return { level: null, reason: 'not_a_member' };
  if (member.systemRole === 'admin') return { level: 'admin', reason: 'org_role' };
  if (member.systemRole === 'manager') return { level: 'manager', reason: 'org_role' };
  const grant = org.grants.find((g) => g.memberId === memberId && g.entityId === entityId);
  if (entityId !== undefined && grant !== undefined) return { level: grant.level, reason: 'grant' };
  if (member.systemRole === 'viewer') return { level: 'viewer', reason: 'org_viewer' };
  return { level: null, reason: entityId === undefined ? 'org_role' : 'no_grant' };
}

/** Straight from the rules: is the action allowed, at which level, and why. */
export function referenceDecide(
  org: OrganizationAccessData,
  memberId: string,
  action: string,
  entityId?: string,
): Decision {
  if (!org.members.some((member) => member.memberId === memberId)) {
    return { allowed: false, level: null, reason: 'not_a_member' };
  }
  if (!CATALOGUE.some((permission) => permission === action)) {
    return { allowed: false, level: null, reason: 'unknown_action' };
  }
  const fromCustomRole = customPermissions(org, memberId).includes(action);
  if (!action.startsWith('entity:')) {
    const member = org.members.find((candidate) => candidate.memberId === memberId);
    const fromRole = ROLE_ORG_PERMISSIONS[member?.systemRole ?? '']?.includes(action) === true;
    if (fromRole) return { allowed: true, level: null, reason: 'org_role' };
    if (fromCustomRole) return { allowed: true, level: null, reason: 'custom_role' };
    return { allowed: false, level: null, reason: 'org_role' };
  }
  const { level, reason } = referenceLevel(org, memberId, entityId);
  if (level !== null && LEVEL_ACTIONS[level].includes(action)) return { allowed: true, level, reason };
  if (fromCustomRole) return { allowed: true, level, reason: 'custom_role' };
  return { allowed: false, level, reason };
}

/** Organization-wide permissions for `/me`, sorted in catalogue order. */
export function referencePermissions(org: OrganizationAccessData, memberId: string): string[] {
  const member = org.members.find((candidate) => candidate.memberId === memberId);
  if (member === undefined) return [];
  const held = [...(ROLE_ORG_PERMISSIONS[member.systemRole] ?? []), ...customPermissions(org, memberId)];
  return CATALOGUE.filter((permission) => held.includes(permission));
}

/** Highest level all of whose actions the member may perform on the entity, by brute force. */
export function referenceGrantingLevel(
  org: OrganizationAccessData,
  memberId: string,
  entityId: string,
): EntityLevel | null {
  let best: EntityLevel | null = null;
  for (const level of LEVELS_LOW_TO_HIGH) {
    const all = LEVEL_ACTIONS[level].every(
      (action) => referenceDecide(org, memberId, action, entityId).allowed,
    );
    if (all) best = level;
  }
  return best;
}

/** canGrant from its two sentences. */
export function referenceCanGrant(actor: EntityLevel | null, requested: EntityLevel): boolean {
  return levelIndex(actor) >= levelIndex('manager') && levelIndex(requested) <= levelIndex(actor);
}
