import type { OneTimeToken, OneTimeTokenPurpose } from '../credentials/one-time-token.js';

/** The single-use tokens that travel by email link (the others are defined where they are issued). */
export type EmailLinkPurpose = Extract<OneTimeTokenPurpose, 'email_verification' | 'activation' | 'password_reset' | 'magic_link' | 'invitation'>;

/** How long each email link lives, in seconds. */
export const FLOW_LIFETIME_SECONDS: Readonly<Record<EmailLinkPurpose, number>> = {
  email_verification: 24 * 3600,
  activation: 72 * 3600,
  password_reset: 3600,
  magic_link: 15 * 60,
  /** A sign-in link that accepts an invitation (domain/tenancy/membership-grant.ts): as long as an activation. */
  invitation: 72 * 3600,
};

/** The states every email-link flow goes through; see docs/flows/email-links.md. */
export type FlowState = 'pending' | 'consumed' | 'expired';

/** The state of a flow record at `now` (pure: the store consumes atomically, this only reads). */
export function flowState(token: Pick<OneTimeToken, 'consumedAt' | 'expiresAt'>, now: Date): FlowState {
  if (token.consumedAt !== null) return 'consumed';
  return now < token.expiresAt ? 'pending' : 'expired';
}
