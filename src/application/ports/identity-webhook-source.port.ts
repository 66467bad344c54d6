import type { ExternalMember, ExternalOrganization } from './identity-directory.port.js';

/**
 * One change of the identity provider's directory, in Gatehouse's terms (no vendor type):
 * what a webhook delivery tells the mirror to do.
 */
export type DirectoryChange =
  /** A member was created or changed (its full state; `status: 'removed'` when deleted or locked out). */
  | { kind: 'member_upserted'; member: ExternalMember }
  /** A member was deleted; `at` is when (the provider's time), null when unknown. */
  | { kind: 'member_removed'; externalMemberId: string; at: Date | null }
  /** An organization was created or changed (its full state). */
  | { kind: 'organization_upserted'; organization: ExternalOrganization }
  /** An organization was deleted. */
  | { kind: 'organization_removed'; externalOrganizationId: string; at: Date | null }
  /** Something the mirror does not track (another object type, another project); acknowledged and recorded. */
  | { kind: 'ignored'; reason: string };

/** A verified webhook delivery: its idempotency key, what it was about, and the change. */
export interface DirectoryEvent {
  /** The provider's event id (Stytch `event_id`): applied at most once. */
  eventId: string;
  objectType: string;
  action: string;
  change: DirectoryChange;
}

/** The headers of a webhook request, lower-cased names (the signature lives there). */
export type WebhookHeaders = Readonly<Record<string, string | undefined>>;

/**
 * Where identity-provider webhooks come from (Stytch through Svix). The adapter checks the
 * signature over the exact raw bytes before anything else and only then parses the body.
 */
export interface IdentityWebhookSource {
  /**
   * The verified, translated delivery. Throws WEBHOOK_SIGNATURE_INVALID (a missing, forged or
   * stale signature, a tampered body) or VALIDATION_FAILED (signed, but not a body this adapter
   * understands); nothing is read from the body before the signature holds.
   */
  open(rawBody: Buffer, headers: WebhookHeaders): DirectoryEvent;
}
