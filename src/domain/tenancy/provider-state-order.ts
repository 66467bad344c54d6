/**
 * Ordering rules of the identity mirror. An external identity provider (Stytch) sends the state
 * of its organizations and members in webhooks that arrive in any order, so each state carries
 * the provider's `updated_at` and the mirror remembers the newest one it applied.
 */

/**
 * Whether a state stamped `updatedAt` is older than the newest one applied, and must be ignored.
 * A state of the same instant is applied (the provider's times have one-second resolution, and
 * applying the same state twice changes nothing); an unknown time on either side cannot be
 * ordered and is applied.
 */
export function isOlderProviderState(appliedUpTo: Date | null, updatedAt: Date | null): boolean {
  return appliedUpTo !== null && updatedAt !== null && updatedAt.getTime() < appliedUpTo.getTime();
}

/**
 * Whether a state may bring back an object the provider deleted at `deletedAt` (a member can be
 * reactivated): only one stamped strictly later. A state of the deletion's own second was most
 * likely the one before the deletion, and an unstamped one proves nothing.
 */
export function revivesDeleted(deletedAt: Date, updatedAt: Date | null): boolean {
  return updatedAt !== null && updatedAt.getTime() > deletedAt.getTime();
}

/** The later of two provider times; null only when both are unknown. */
export function latestProviderTime(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return b.getTime() > a.getTime() ? b : a;
}
