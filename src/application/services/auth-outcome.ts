import type { MfaMethod } from '../../domain/credentials/mfa-challenge.js';

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
  /** Null when the session took over the refresh token the client already holds (switching organization). */
  refreshToken: string | null;
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

/**
 * The first factor succeeded and a second one is needed (docs/flows/mfa.md). `mfaToken` is an
 * opaque single-use token for POST /auth/mfa/verify, never an access token.
 */
export interface MfaRequired {
  status: 'mfa_required';
  mfaToken: string;
  /** Ways to answer; empty when the person must enrol first. */
  methods: MfaMethod[];
  expiresIn: number;
  /** The organization requires MFA and none is set up: enrol TOTP with the mfaToken (setup, then enable). */
  enrolmentRequired: boolean;
}

/** Every endpoint that can sign someone in answers with one of these. */
export type AuthOutcome = Authenticated | OrgSelectionRequired | MfaRequired;
