import { latestProviderTime } from '../../domain/tenancy/provider-state-order.js';
import type { ExternalMember, ExternalOrganization } from '../ports/identity-directory.port.js';
import type { IdentityLinkRepository } from '../ports/identity-link-repository.port.js';

/**
 * Tenancy writes with an external identity provider (Stytch) go to the provider first and to the
 * local store second, so the local store never holds what the provider refused. These helpers
 * are the second half: the commit that undoes the provider's change when it fails, and the
 * identity links written in the same unit of work as the local rows they name.
 */

/**
 * Runs the local commit of a change the provider already accepted. When the commit fails,
 * `undo` takes the provider's change back and the commit's error is rethrown; an undo that
 * fails itself must not hide that error (the provider then keeps an orphan, which its own
 * webhooks bring to the mirror). `undo` null (nothing was written at a provider): just the commit.
 */
export async function commitOrUndo<T>(commit: () => Promise<T>, undo: (() => Promise<unknown>) | null): Promise<T> {
  if (!undo) return commit();
  try {
    return await commit();
  } catch (error) {
    try {
      await undo();
    } catch {
      // The commit's error is the one to report.
    }
    throw error;
  }
}

/** Links a created organization and its creator's membership. Call inside the unit of work, after both rows are saved. */
export async function linkCreatedOrganization(
  links: IdentityLinkRepository,
  local: { tenantId: string; membershipId: string },
  created: { organization: ExternalOrganization; creator: ExternalMember },
): Promise<void> {
  await links.save({ kind: 'organization', externalId: created.organization.externalId, localId: local.tenantId, tenantId: local.tenantId, sourceUpdatedAt: created.organization.updatedAt, deletedAt: null });
  await linkAddedMember(links, { tenantId: local.tenantId, membershipId: local.membershipId }, created.creator);
}

/** Links an added member to its membership. Call inside the unit of work, after the membership is saved. */
export async function linkAddedMember(links: IdentityLinkRepository, local: { tenantId: string; membershipId: string }, member: ExternalMember): Promise<void> {
  await links.save({ kind: 'member', externalId: member.externalId, localId: local.membershipId, tenantId: local.tenantId, sourceUpdatedAt: member.updatedAt, deletedAt: null });
}

/**
 * Records that the mirror now holds the provider's state of `updatedAt` (our own write), so a
 * delivery of an older state, still on its way, does not undo it.
 */
export async function advanceLink(links: IdentityLinkRepository, kind: 'organization' | 'member', localId: string, updatedAt: Date | null): Promise<void> {
  const link = await links.findByLocal(kind, localId);
  if (!link) return;
  const sourceUpdatedAt = latestProviderTime(link.sourceUpdatedAt, updatedAt);
  if (sourceUpdatedAt?.getTime() !== link.sourceUpdatedAt?.getTime()) await links.save({ ...link, sourceUpdatedAt });
}

/** Leaves a tombstone for a removed member, so late deliveries of older states do not bring the membership back. */
export async function tombstoneMemberLink(links: IdentityLinkRepository, membershipId: string, at: Date): Promise<void> {
  const link = await links.findByLocal('member', membershipId);
  if (!link || link.deletedAt) return;
  await links.save({ ...link, deletedAt: at, sourceUpdatedAt: latestProviderTime(link.sourceUpdatedAt, at) });
}
