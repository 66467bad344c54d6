import type { Invalidation, InvalidationBus } from '../../application/ports/invalidation-bus.port.js';

/** Invalidation within one process: enough for a single node. */
export class InProcessInvalidationBus implements InvalidationBus {
  private readonly listeners = new Set<(message: Invalidation) => void>();

  async publish(message: Invalidation): Promise<void> {
    this.deliver(message);
  }

  subscribe(listener: (message: Invalidation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands a message to local listeners (also used by networked buses for remote messages). */
  deliver(message: Invalidation): void {
    for (const listener of this.listeners) listener(message);
  }
}
