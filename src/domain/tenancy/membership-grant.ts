import type { MembershipStatus } from './membership.js';
import type { User } from './user.js';

/*
 * Account pre-hijacking: anyone can register an address they do not own, with a password of their
 * choosing, and wait. If an organization later grants that address a membership, whoever holds the
 * password is in. So a membership that someone else grants (an admin adding a member, a paid checkout
 * naming its owner) is active at once only for an account whose mailbox has been proved. Every other
 * account is invited, and it accepts only by proving the mailbox: a verified address, or a sign-in
 * through a link mailed to it.
 */

/** Whether `user` has shown they read mail at their address, before or in this sign-in (`amr` holds `email`). */
export function mailboxProven(user: Pick<User, 'emailVerifiedAt'>, amr: readonly string[] = []): boolean {
  return user.emailVerifiedAt !== null || amr.includes('email');
}

/**
 * An admin adding someone by address sends an invitation, whoever the address belongs to: joining is the
 * person's choice, and the answer must not tell the admin whether an account exists or who holds it.
 */
export const ADDED_MEMBER_STATUS: MembershipStatus = 'invited';

/** The status of a membership granted to `user` by someone else without the person asking (a paid checkout naming its owner). */
export function grantedMembershipStatus(user: Pick<User, 'emailVerifiedAt' | 'canSignIn'>): MembershipStatus {
  return user.canSignIn && mailboxProven(user) ? 'active' : 'invited';
}
