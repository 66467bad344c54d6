import type { SystemRole } from '../../domain/tenancy/system-role.js';

/** An organization as an external identity provider (Stytch) knows it, in Gatehouse's terms. */
export interface ExternalOrganization {
  externalId: string;
  name: string;
  slug: string;
  /** The provider's MFA policy requires MFA of every member. */
  mfaRequired: boolean;
  /** Email domains whose verified addresses may join by themselves (JIT). */
  emailAllowedDomains: string[];
  /** The provider's `updated_at`; orders deliveries. Null: unknown. */
  updatedAt: Date | null;
}

/** A member as an external identity provider knows it, roles already mapped (STYTCH_ROLE_MAP). */
export interface ExternalMember {
  externalId: string;
  externalOrganizationId: string;
  email: string;
  name: string;
  role: SystemRole;
  /** `removed`: deleted, or locked out, by the provider — sessions end at once. */
  status: 'active' | 'invited' | 'removed';
  emailVerified: boolean;
  updatedAt: Date | null;
}

/**
 * Tenancy writes Gatehouse makes that the identity provider must also know. With the
 * built-in provider the local store is the directory and every method does nothing
 * (`external` is false); with Stytch each write goes to Stytch first, and the use case
 * commits locally only after Stytch accepted it (and undoes a creation with `discard…`
 * when the local commit fails). Ids are the local ones, resolved through the identity
 * links; an unlinked organization or member is TENANT_NOT_FOUND / MEMBER_NOT_FOUND.
 */
export interface IdentityDirectory {
  readonly external: boolean;
  /**
   * Creates the organization at the provider with its creator as admin; null when not external.
   * `invite`: the creator has no account yet, so the provider sends its own invitation and the
   * member stays invited until they accept it.
   */
  createOrganization(
    org: { id: string; name: string; slug: string },
    creator: { userId: string; email: string; name: string | null; invite?: boolean },
  ): Promise<{ organization: ExternalOrganization; creator: ExternalMember } | null>;
  /**
   * Changes what the provider keeps of the organization; returns its new state (null when not
   * external) so the caller can record the provider's `updatedAt` and older deliveries are ignored.
   * `emailAllowedDomains` is the JIT-join policy: empty turns joining by domain off.
   */
  updateOrganization(tenantId: string, changes: { name?: string; slug?: string; mfaRequired?: boolean; emailAllowedDomains?: readonly string[] }): Promise<ExternalOrganization | null>;
  /** Deletes the organization at the provider; one already gone there counts as deleted. */
  deleteOrganization(tenantId: string): Promise<void>;
  /**
   * Adds a member at the provider; null when not external. `invite`: the person has no account
   * yet — the provider sends its invitation and the member is `invited`; otherwise `active` at once.
   */
  addMember(tenantId: string, member: { email: string; name: string | null; role: SystemRole; invite?: boolean }): Promise<ExternalMember | null>;
  /** Gives the member `role` at the provider; returns the member's new state (null when not external). */
  changeMemberRole(tenantId: string, membershipId: string, role: SystemRole): Promise<ExternalMember | null>;
  /** Removes the member at the provider (their provider sessions end); one already gone there counts as removed. */
  removeMember(tenantId: string, membershipId: string): Promise<void>;
  /** Undoes `createOrganization` whose local commit failed (no link exists to find it by). */
  discardOrganization(organization: ExternalOrganization): Promise<void>;
  /** Undoes `addMember` whose local commit failed. */
  discardMember(member: ExternalMember): Promise<void>;
}
