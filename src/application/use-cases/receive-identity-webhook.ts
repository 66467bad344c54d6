import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { IdentityEventLedger } from '../ports/identity-event-ledger.port.js';
import type { IdentityWebhookSource, WebhookHeaders } from '../ports/identity-webhook-source.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import { type IdentityMirror, type MirrorOutcome, type PendingInvalidations, lostMirrorRace, publishAll } from '../services/identity-mirror.js';

/** What receiving a delivery did; every one is acknowledged with 200. */
export interface IdentityWebhookReceipt {
  /** The event was recorded before: nothing was done again. */
  duplicate: boolean;
  outcome: MirrorOutcome | 'duplicate';
}

/** A lost race (another delivery created the same user or membership first) is retried this often. */
const MAX_ATTEMPTS = 3;

/**
 * POST /api/v1/webhooks/stytch: the identity provider's directory changes, verified over the exact
 * raw bytes (WEBHOOK_SIGNATURE_INVALID before anything is read or written), then applied to the
 * mirror exactly once. The ledger row is the first write of the unit of work and the change follows
 * in the same one: a redelivery (same event id, whatever its Svix message id) finds the row and does
 * nothing, a failure midway rolls back both and the provider's retry applies the change whole.
 * Deliveries arrive in any order; the mirror ignores states older than the one it holds, and a
 * deletion leaves a tombstone so a late older update does not bring the object back. A member of an
 * organization the mirror does not hold (its CREATE not delivered yet) is acknowledged as `unknown`:
 * the member is mirrored with its next update or at its next sign-in, which syncs it just in time.
 * A DELETE of an object the mirror does not hold is not acknowledged: it is rolled back (ledger row included)
 * and answered 409 CONCURRENT_MODIFICATION, so the provider redelivers it once the CREATE it overtook has been
 * applied. Acknowledged, it would leave no tombstone, and that late CREATE would bring the object back.
 *
 * Invalidations (access views, sessions) are published after the commit, so the next request —
 * in any process — sees a new role or a revoked session; publishing earlier could let a concurrent
 * request rebuild a view from the not yet committed old state and keep it.
 */
export class ReceiveIdentityWebhook {
  constructor(
    private readonly deps: {
      /** Null when the identity provider is not an external one (IDENTITY_PROVIDER=builtin). */
      source: IdentityWebhookSource | null;
      ledger: IdentityEventLedger;
      mirror: IdentityMirror;
      uow: UnitOfWork;
      bus: InvalidationBus;
      clock: Clock;
    },
  ) {}

  async execute(rawBody: Buffer | undefined, headers: WebhookHeaders): Promise<IdentityWebhookReceipt> {
    const source = this.deps.source;
    if (!source) throw new DomainError('IDENTITY_NOT_CONFIGURED', 'No external identity provider is configured on this Gatehouse');
    if (!rawBody || rawBody.length === 0) throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is missing or invalid');
    const event = source.open(rawBody, headers);
    for (let attempt = 1; ; attempt++) {
      const pending: PendingInvalidations = [];
      try {
        const outcome = await this.deps.uow.run(async () => {
          pending.length = 0;
          const first = await this.deps.ledger.record({ eventId: event.eventId, objectType: event.objectType, action: event.action, receivedAt: this.deps.clock.now() });
          if (!first) return 'duplicate' as const;
          const applied = await this.deps.mirror.apply(event.change, pending);
          const removal = event.change.kind === 'member_removed' || event.change.kind === 'organization_removed';
          if (removal && applied === 'unknown') throw new NotMirroredYet();
          return applied;
        });
        await publishAll(this.deps.bus, pending);
        return { duplicate: outcome === 'duplicate', outcome };
      } catch (error) {
        if (error instanceof NotMirroredYet) {
          throw new DomainError('CONCURRENT_MODIFICATION', 'This deletion is about an object not mirrored yet; redeliver it later');
        }
        // The whole unit rolled back (ledger row included): run it again against what the other writer committed.
        if (attempt >= MAX_ATTEMPTS || !lostMirrorRace(error)) throw error;
      }
    }
  }
}

/** Rolls back a deletion of an object the mirror does not hold yet (ledger row included), for a redelivery. */
class NotMirroredYet extends Error {}
