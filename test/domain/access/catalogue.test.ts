import { describe, expect, it } from 'vitest';
import {
  ENTITY_LEVEL_PERMISSIONS,
  ENTITY_LEVELS,
  entityLevelOfRank,
  entityLevelRank,
  isEntityLevel,
  isPermission,
  isSystemRole,
  PERMISSIONS,
  SYSTEM_ROLE_ENTITY_LEVEL,
  SYSTEM_ROLE_PERMISSIONS,
  SYSTEM_ROLES,
} from '../../../src/domain/access/index.js';
import { CATALOGUE, LEVEL_ACTIONS, ROLE_ORG_PERMISSIONS } from './reference-resolver.js';

describe('permission catalogue', () => {
  it('is the documented closed list', () => {
    expect([...PERMISSIONS]).toEqual(CATALOGUE);
  });

  it('fits a 31-bit mask, so `1 << bit` never reaches the sign bit', () => {
    expect(PERMISSIONS.length).toBeLessThanOrEqual(31);
  });

  it('accepts exactly catalogued strings', () => {
    for (const permission of PERMISSIONS) expect(isPermission(permission)).toBe(true);
    for (const value of ['entity:*', 'Entity:view', ' entity:view', '', 'toString', 42, null, undefined]) {
      expect(isPermission(value)).toBe(false);
    }
  });
});

describe('levels and system roles', () => {
  it('defines the documented level permissions, each level holding the ones below', () => {
    for (const level of ENTITY_LEVELS) expect(ENTITY_LEVEL_PERMISSIONS[level]).toEqual(LEVEL_ACTIONS[level]);
    ENTITY_LEVELS.slice(1).forEach((level, index) => {
      const below = ENTITY_LEVEL_PERMISSIONS[ENTITY_LEVELS[index] ?? 'viewer'];
      expect(ENTITY_LEVEL_PERMISSIONS[level]).toEqual(expect.arrayContaining([...below]));
    });
  });

  it('ranks levels with null as no access', () => {
    expect(ENTITY_LEVELS.map(entityLevelRank)).toEqual([1, 2, 3, 4]);
    expect(entityLevelRank(null)).toBe(0);
    expect([0, 1, 4, 5, -1].map(entityLevelOfRank)).toEqual([null, 'viewer', 'admin', null, null]);
    expect(isEntityLevel('owner')).toBe(false);
  });

  it('defines the documented system role permission sets', () => {
    expect([...SYSTEM_ROLES]).toEqual(['admin', 'manager', 'member', 'viewer']);
    for (const role of SYSTEM_ROLES) expect([...SYSTEM_ROLE_PERMISSIONS[role]].sort()).toEqual([...(ROLE_ORG_PERMISSIONS[role] ?? [])].sort());
    expect(isSystemRole('owner')).toBe(false);
  });

  it('keeps each system role’s entity permissions equal to its organization-wide level', () => {
    for (const role of SYSTEM_ROLES) {
      const level = SYSTEM_ROLE_ENTITY_LEVEL[role];
      const entityPart = SYSTEM_ROLE_PERMISSIONS[role].filter((p) => p.startsWith('entity:'));
      expect(entityPart).toEqual(level === null ? [] : ENTITY_LEVEL_PERMISSIONS[level]);
    }
  });
});
