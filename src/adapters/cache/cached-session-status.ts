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
 * how long an answer lives if a message were ever lost. Two guards keep a revoked
 * session from being cached as live:
 * - a read that began before an invalidation of its id (or of every id) is answered
 *   but not stored, since it may predate the revocation;
 * - while the bus does not deliver other processes' messages, nothing is stored
 *   (the port's rule: serve from the store instead).
 */
export class CachedSessionStatus implements SessionStatusView {
  private readonly entries = new Map<string, Entry>();
  /** Counts invalidations; a read stores its answer only if none of its id came since it began. */
  private generation = 0;
  private readonly invalidatedAt = new Map<string, number>();
  private everyInvalidatedAt = 0;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly bus: InvalidationBus,
    private readonly maxAgeMs = 30_000,
    private readonly maxEntries = 100_000,
  ) {
    bus.subscribe((message) => {
      if (message.topic !== 'session') return;
      this.generation++;
      if (message.id === EVERY_ID) {
        this.entries.clear();
        this.invalidatedAt.clear();
        this.everyInvalidatedAt = this.generation;
      } else {
        this.entries.delete(message.id);
        if (this.invalidatedAt.size >= this.maxEntries) this.invalidatedAt.clear();
        this.invalidatedAt.set(message.id, this.generation);
      }
    });
  }

  async isLive(sessionId: string, now: Date): Promise<boolean> {
    const t = now.getTime();
    const hit = this.entries.get(sessionId);
    if (hit && t < hit.staleAt) return !hit.revoked && t < hit.endsAt;
    const began = this.generation;
    const session = await this.sessions.findById(sessionId);
    const entry: Entry = session
      ? { revoked: session.revokedAt !== null, endsAt: Math.min(session.idleExpiresAt.getTime(), session.expiresAt.getTime()), staleAt: t + this.maxAgeMs }
      : { revoked: true, endsAt: 0, staleAt: t + this.maxAgeMs };
    const invalidatedSince = (this.invalidatedAt.get(sessionId) ?? 0) > began || this.everyInvalidatedAt > began;
    if (!invalidatedSince && this.bus.connected?.() !== false) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(sessionId, entry);
    }
    return !entry.revoked && t < entry.endsAt;
  }
}
