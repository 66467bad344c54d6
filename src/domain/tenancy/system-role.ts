/** Built-in organization roles, strongest first. */
export const SYSTEM_ROLES = ['admin', 'manager', 'member', 'viewer'] as const;

/** One of the built-in organization roles. */
export type SystemRole = (typeof SYSTEM_ROLES)[number];

const RANK: Readonly<Record<SystemRole, number>> = { admin: 4, manager: 3, member: 2, viewer: 1 };

/** Whether `role` is at least as strong as `required`. */
export function roleAtLeast(role: SystemRole, required: SystemRole): boolean {
  return RANK[role] >= RANK[required];
}

export function isSystemRole(value: string): value is SystemRole {
  return (SYSTEM_ROLES as readonly string[]).includes(value);
}
