import { isEntityLevel } from '../access/entity-level.js';
import type { EntityLevel } from '../access/entity-level.js';
import { DomainError } from '../shared/domain-error.js';

/**
 * One member's explicit level on one entity of the same organization. At most one per
 * (entity, member); it goes with the entity and with the membership (ON DELETE CASCADE).
 */
export class EntityAccessGrant {
  id!: string;
  tenantId!: string;
  entityId!: string;
  membershipId!: string;
  level!: EntityLevel;
  createdAt!: Date;
  updatedAt!: Date;
  version = 1;

  static create(input: { id: string; tenantId: string; entityId: string; membershipId: string; level: EntityLevel; now: Date }): EntityAccessGrant {
    const grant = new EntityAccessGrant();
    grant.id = input.id;
    grant.tenantId = input.tenantId;
    grant.entityId = input.entityId;
    grant.membershipId = input.membershipId;
    grant.level = assertLevel(input.level);
    grant.createdAt = input.now;
    grant.updatedAt = input.now;
    return grant;
  }

  changeLevel(level: EntityLevel, now: Date): void {
    this.level = assertLevel(level);
    this.updatedAt = now;
  }
}

// Runtime guard: a level arrives from requests and rows as a plain string.
function assertLevel(level: string): EntityLevel {
  if (!isEntityLevel(level)) throw new DomainError('ACCESS_INVALID_ENTITY_LEVEL', 'Not an entity level (viewer, editor, manager, admin)', { subject: level });
  return level;
}
