import { DomainError } from '../shared/domain-error.js';
import type { Membership } from './membership.js';
import type { SystemRole } from './system-role.js';

/**
 * An organization must always keep at least one active admin. Call with the
 * organization's members as read inside the same serialized transaction as the change.
 */
export function assertAdminRemains(members: readonly Membership[], change: { memberId: string; newRole: SystemRole | null }): void {
  const target = members.find((m) => m.id === change.memberId);
  if (!target || target.role !== 'admin' || change.newRole === 'admin') return;
  const remaining = members.filter((m) => m.role === 'admin' && m.isActive && m.id !== change.memberId).length;
  if (remaining === 0) {
    throw new DomainError('MEMBER_LAST_ADMIN', 'An organization needs at least one admin; promote another member first');
  }
}
