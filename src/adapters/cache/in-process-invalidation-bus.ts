import type { Invalidation, InvalidationBus } from '../../application/ports/invalidation-bus.port.js';

/** Invalidation within one process: enough for a single node. */
export class InProcessInvalidationBus implements InvalidationBus {
  private readonly listeners = new Set<(message: Invalidation) => void>();

  /** `onError` hears a listener that threw; the bus goes on to the next one. */
  constructor(private readonly onError: (error: unknown, context: string) => void = () => {}) {}

  async publish(message: Invalidation): Promise<void> {
    this.deliver(message);
  }

  subscribe(listener: (message: Invalidation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Hands a message to local listeners (also used by networked buses for remote messages). Every
   * listener hears it: one that throws must not leave the caches after it stale (a revoked session
   * still accepted), nor fail a publish made after its change committed.
   */
  deliver(message: Invalidation): void {
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.onError(error, 'listener');
      }
    }
  }
}
