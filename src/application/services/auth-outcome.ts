/** The organization a session is bound to, as clients see it. */
export interface OrganizationSummary {
  id: string;
  slug: string;
  name: string;
}

/** A signed-in result: new tokens for one session. */
export interface Authenticated {
  status: 'authenticated';
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  session: { id: string; expiresAt: string };
  user: { id: string; email: string; name: string | null };
  organization: OrganizationSummary | null;
  member: { id: string; roles: string[] } | null;
}

/** An organization the person may enter after a first factor. */
export interface DiscoveredOrganization extends OrganizationSummary {
  membership: 'active_member' | 'invited_member' | 'eligible_by_domain';
  mfaRequired: boolean;
}

/** The first factor succeeded and the person must pick an organization. */
export interface OrgSelectionRequired {
  status: 'org_selection_required';
  intermediateToken: string;
  expiresIn: number;
  organizations: DiscoveredOrganization[];
}

/** Every endpoint that can sign someone in answers with one of these. */
export type AuthOutcome = Authenticated | OrgSelectionRequired;
