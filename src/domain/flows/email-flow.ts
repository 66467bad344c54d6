import type { OneTimeToken, OneTimeTokenPurpose } from '../credentials/one-time-token.js';

/** How long each single-use link or challenge lives, in seconds. */
export const FLOW_LIFETIME_SECONDS: Readonly<Record<OneTimeTokenPurpose, number>> = {
  email_verification: 24 * 3600,
  activation: 72 * 3600,
  password_reset: 3600,
  magic_link: 15 * 60,
  intermediate_session: 10 * 60,
  mfa_challenge: 5 * 60,
};

/** The states every email-link flow goes through; see docs/flows/email-links.md. */
export type FlowState = 'pending' | 'consumed' | 'expired';

/** The state of a flow record at `now` (pure: the store consumes atomically, this only reads). */
export function flowState(token: Pick<OneTimeToken, 'consumedAt' | 'expiresAt'>, now: Date): FlowState {
  if (token.consumedAt !== null) return 'consumed';
  return now < token.expiresAt ? 'pending' : 'expired';
}
