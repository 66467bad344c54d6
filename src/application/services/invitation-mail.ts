import { mailboxProven } from '../../domain/tenancy/membership-grant.js';
import type { User } from '../../domain/tenancy/user.js';
import type { IdentityProvider, InvitationDetails } from '../ports/identity-provider.port.js';

/**
 * Mails the link through which `user` accepts a membership they could not take at once
 * (domain/tenancy/membership-grant.ts). Someone without an account yet gets an activation link.
 * An account that never proved its mailbox gets an invitation: a sign-in link, whose use proves the
 * mailbox. A password on such an account goes then, since whoever registered the address may not own
 * it (BuiltinIdentityProvider.verifyMagicLink). No one else gets mail, and nothing is sent where the
 * identity provider mails its own invitations (Stytch).
 * Call inside the unit of work that grants the membership, so the mail exists exactly when it does.
 */
export async function inviteByMail(
  identity: Pick<IdentityProvider, 'supports' | 'startActivation' | 'sendInvitation'>,
  user: User,
  tenantId: string,
  invitation: InvitationDetails = {},
): Promise<void> {
  if (user.status !== 'invited' && mailboxProven(user)) return; // active at once: nothing to accept
  await mailInvitation(identity, user, tenantId, invitation);
}

/**
 * Mails an invitation an admin made by adding the address: an activation link to someone without an account,
 * a sign-in link (which accepts it) to anyone else who can sign in. Nothing where the provider mails its own.
 */
export async function mailInvitation(
  identity: Pick<IdentityProvider, 'supports' | 'startActivation' | 'sendInvitation'>,
  user: User,
  tenantId: string,
  invitation: InvitationDetails = {},
): Promise<void> {
  if (!invitationMailable(identity, user)) return;
  if (user.status === 'invited') await identity.startActivation(user.id, tenantId);
  else await identity.sendInvitation(user.id, tenantId, invitation);
}

/** Whether {@link mailInvitation} would send `user` a mail. */
export function invitationMailable(identity: Pick<IdentityProvider, 'supports'>, user: User): boolean {
  return identity.supports('activation') && (user.status === 'invited' || user.canSignIn);
}
