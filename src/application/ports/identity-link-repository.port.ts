/**
 * The local mirror's map between an external identity provider's ids (Stytch
 * organization_id / member_id) and Gatehouse's (organization id / membership id).
 * Used only when IDENTITY_PROVIDER=stytch; empty otherwise.
 */
export type IdentityLinkKind = 'organization' | 'member';

export interface IdentityLink {
  kind: IdentityLinkKind;
  /** The provider's id (Stytch `organization-…` / `member-…`). Unique per kind. */
  externalId: string;
  /** Gatehouse's id: the organization id, or the membership id. Unique per kind. */
  localId: string;
  /** The organization the object belongs to (for an organization: itself). */
  tenantId: string;
  /**
   * The provider's `updated_at` of the newest state applied to the mirror; a delivery
   * carrying an older state is ignored (webhooks arrive in any order). Null: unknown.
   */
  sourceUpdatedAt: Date | null;
  /** Set when the provider deleted the object: a tombstone, so late older updates do not revive it. */
  deletedAt: Date | null;
}

export interface IdentityLinkRepository {
  findByExternal(kind: IdentityLinkKind, externalId: string): Promise<IdentityLink | null>;
  findByLocal(kind: IdentityLinkKind, localId: string): Promise<IdentityLink | null>;
  /**
   * Inserts the link, or replaces the row with the same (kind, externalId). A different
   * externalId for an already linked (kind, localId) is refused with CONCURRENT_MODIFICATION.
   */
  save(link: IdentityLink): Promise<void>;
  /** Links of one organization's members (for a full resync), oldest first. */
  listMembersOf(tenantId: string): Promise<IdentityLink[]>;
}
