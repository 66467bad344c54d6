/** Where a request came from, for sessions and the audit log. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** The signed-in caller, established from a verified access token and a live session. */
export interface Principal {
  userId: string;
  sessionId: string;
  tenantId: string | null;
  membershipId: string | null;
  roles: string[];
  amr: string[];
  /** When the access token presented for this request expires (absent for a provider's session token). */
  accessExpiresAt?: Date;
}
