import { EVERY_ID, type InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { SessionRepository } from '../../application/ports/session-repository.port.js';
import type { SessionStatusView } from '../../application/ports/session-status-view.port.js';

interface Entry {
  revoked: boolean;
  /** The session cannot be live past this instant (idle or absolute end). */
  endsAt: number;
  /** When this cached answer must be re-read even without an invalidation. */
  staleAt: number;
}

/**
 * Caches "is this session live" per session id. A revocation published on the bus
 * drops the entry at once (on every node when the bus is shared); `maxAgeMs` bounds
 * how long an answer lives if a message were ever lost.
 */
export class CachedSessionStatus implements SessionStatusView {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly sessions: SessionRepository,
    bus: InvalidationBus,
    private readonly maxAgeMs = 30_000,
    private readonly maxEntries = 100_000,
  ) {
    bus.subscribe((message) => {
      if (message.topic !== 'session') return;
      if (message.id === EVERY_ID) this.entries.clear();
      else this.entries.delete(message.id);
    });
  }

  async isLive(sessionId: string, now: Date): Promise<boolean> {
    const t = now.getTime();
    const hit = this.entries.get(sessionId);
    if (hit && t < hit.staleAt) return !hit.revoked && t < hit.endsAt;
    const session = await this.sessions.findById(sessionId);
    const entry: Entry = session
      ? { revoked: session.revokedAt !== null, endsAt: Math.min(session.idleExpiresAt.getTime(), session.expiresAt.getTime()), staleAt: t + this.maxAgeMs }
      : { revoked: true, endsAt: 0, staleAt: t + this.maxAgeMs };
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(sessionId, entry);
    return !entry.revoked && t < entry.endsAt;
  }
}
