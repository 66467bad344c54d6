import { validateCustomRole } from '../access/custom-role.js';
import type { Permission } from '../access/permission.js';
import { accessFailure } from './access-failure.js';

/**
 * A custom role of one organization, as stored: a key unique in the organization, a display
 * name and catalogued permissions (validated by the access domain's `validateCustomRole`).
 * Members reference it by key (`Membership.customRoles`); the key never changes.
 */
export class OrganizationRole {
  id!: string;
  tenantId!: string;
  key!: string;
  name!: string;
  /** Catalogued, deduplicated, in catalogue order. */
  permissions!: Permission[];
  createdAt!: Date;
  updatedAt!: Date;
  version = 1;

  /** Validates and creates; throws the ACCESS_* DomainError of the first problem. */
  static create(input: { id: string; tenantId: string; key: string; name: string; permissions: readonly string[]; now: Date }): OrganizationRole {
    const validated = validateCustomRole(input);
    if (!validated.ok) throw accessFailure(validated.error);
    const role = new OrganizationRole();
    role.id = input.id;
    role.tenantId = input.tenantId;
    role.key = validated.role.key;
    role.name = validated.role.name;
    role.permissions = [...validated.role.permissions];
    role.createdAt = input.now;
    role.updatedAt = input.now;
    return role;
  }

  /** Renames and/or replaces the permissions, validated like `create`. */
  update(patch: { name?: string | undefined; permissions?: readonly string[] | undefined }, now: Date): void {
    const validated = validateCustomRole({ key: this.key, name: patch.name ?? this.name, permissions: patch.permissions ?? this.permissions });
    if (!validated.ok) throw accessFailure(validated.error);
    this.name = validated.role.name;
    this.permissions = [...validated.role.permissions];
    this.updatedAt = now;
  }
}
