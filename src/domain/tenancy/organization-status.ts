import { DomainError } from '../shared/domain-error.js';

/** Lifecycle of a tenant. See docs/flows/organization-status.md. */
export type OrganizationStatus = 'provisioning' | 'active' | 'past_due' | 'suspended' | 'archived';

const ALLOWED: Readonly<Record<OrganizationStatus, readonly OrganizationStatus[]>> = {
  provisioning: ['active', 'archived'],
  active: ['past_due', 'suspended', 'archived'],
  past_due: ['active', 'suspended', 'archived'],
  suspended: ['active', 'archived'],
  // Restoring an archived tenant is an operator action (CLI); data was kept.
  archived: ['active'],
};

/** Returns the next status or throws TENANT_STATUS_TRANSITION_INVALID. */
export function transitionStatus(from: OrganizationStatus, to: OrganizationStatus): OrganizationStatus {
  if (from === to) return to;
  if (!ALLOWED[from].includes(to)) {
    throw new DomainError('TENANT_STATUS_TRANSITION_INVALID', `Cannot move an organization from ${from} to ${to}`);
  }
  return to;
}

/**
 * Whether members may sign in to a tenant in this status. Archived and suspended
 * tenants keep their data but refuse sign-in with a code the client can explain.
 */
export function assertSignInAllowed(status: OrganizationStatus): void {
  if (status === 'archived') throw new DomainError('TENANT_ARCHIVED', 'This organization is archived; contact its owner to restore it');
  if (status === 'suspended') throw new DomainError('TENANT_SUSPENDED', 'This organization is suspended');
  if (status === 'provisioning') throw new DomainError('TENANT_NOT_ACTIVE', 'This organization is still being set up');
}
