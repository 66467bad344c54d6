import type { SystemRole } from './system-role.js';

/** Invited members exist before the person has accepted; they cannot act in the tenant yet. */
export type MembershipStatus = 'active' | 'invited';

/** A user's place in one organization, with its system role and any custom roles. */
export class Membership {
  id!: string;
  tenantId!: string;
  userId!: string;
  role!: SystemRole;
  /** Keys of the organization's custom roles assigned to this member. */
  customRoles!: string[];
  status!: MembershipStatus;
  createdAt!: Date;
  updatedAt!: Date;
  version = 1;

  static create(input: { id: string; tenantId: string; userId: string; role: SystemRole; status?: MembershipStatus; now: Date }): Membership {
    const m = new Membership();
    m.id = input.id;
    m.tenantId = input.tenantId;
    m.userId = input.userId;
    m.role = input.role;
    m.customRoles = [];
    m.status = input.status ?? 'active';
    m.createdAt = input.now;
    m.updatedAt = input.now;
    return m;
  }

  changeRole(role: SystemRole, now: Date): void {
    this.role = role;
    this.updatedAt = now;
  }

  /** Replaces the custom role keys (deduplicated); the caller checks they exist and may be assigned. */
  assignCustomRoles(keys: readonly string[], now: Date): void {
    this.customRoles = [...new Set(keys)];
    this.updatedAt = now;
  }

  activate(now: Date): void {
    this.status = 'active';
    this.updatedAt = now;
  }

  get isActive(): boolean {
    return this.status === 'active';
  }
}
