import { SYSTEM_ROLES, isSystemRole, type SystemRole } from '../../../domain/tenancy/system-role.js';

/**
 * How Stytch RBAC role ids map to Gatehouse system roles (config STYTCH_ROLE_MAP), in the
 * order they were configured. Several Stytch roles may map to one Gatehouse role.
 */
export type StytchRoleMap = ReadonlyArray<readonly [stytchRoleId: string, role: SystemRole]>;

/**
 * Parses `stytch_admin=admin,stytch_member=member` (the config schema has checked the shape;
 * this checks again, so a bad map fails at start-up rather than mapping someone wrongly).
 * A Stytch role named twice is refused: which line would win is not obvious to a reader.
 */
export function parseRoleMap(config: string): StytchRoleMap {
  const pairs: (readonly [string, SystemRole])[] = [];
  for (const entry of config.split(',')) {
    const [stytchRole = '', role = ''] = entry.split('=').map((part) => part.trim());
    if (!/^[A-Za-z0-9_.:-]+$/.test(stytchRole) || !isSystemRole(role) || entry.split('=').length !== 2) {
      throw new Error(`STYTCH_ROLE_MAP: "${entry.trim()}" is not stytch_role=${SYSTEM_ROLES.join('|')}`);
    }
    if (pairs.some(([known]) => known === stytchRole)) throw new Error(`STYTCH_ROLE_MAP: ${stytchRole} is mapped twice`);
    pairs.push([stytchRole, role]);
  }
  return pairs;
}

/** Stytch's default role: every member holds it, implicitly. */
const STYTCH_DEFAULT_ROLE = 'stytch_member';

/**
 * The Gatehouse role of a member holding these Stytch roles: the most senior one any of them maps
 * to (`admin > manager > member > viewer`), `member` when none is mapped. `stytch_member` counts only
 * when no other role of the member is mapped: Stytch gives it to everyone, so with
 * `stytch_member=member,read_only=viewer` a read-only member would otherwise always outrank viewer.
 * Unknown Stytch roles grant nothing: a role added in Stytch's dashboard never silently makes
 * someone an admin here.
 */
export function gatehouseRoleOf(map: StytchRoleMap, stytchRoleIds: readonly string[]): SystemRole {
  const held = new Set(stytchRoleIds);
  const mappedOf = (ids: (id: string) => boolean) => map.filter(([stytchRole]) => held.has(stytchRole) && ids(stytchRole)).map(([, role]) => role);
  const specific = mappedOf((id) => id !== STYTCH_DEFAULT_ROLE);
  const mapped = specific.length > 0 ? specific : mappedOf((id) => id === STYTCH_DEFAULT_ROLE);
  return SYSTEM_ROLES.find((role) => mapped.includes(role)) ?? 'member';
}

/** The Stytch role written back for a Gatehouse role: the first one configured for it, or null when none is. */
export function stytchRoleFor(map: StytchRoleMap, role: SystemRole): string | null {
  return map.find(([, mapped]) => mapped === role)?.[0] ?? null;
}
