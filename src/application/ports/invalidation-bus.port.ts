/** Topics that invalidate cached views. */
export type InvalidationTopic = 'session' | 'user' | 'tenant';

/** Invalidation message: a topic and the id whose cached view is stale. */
export interface Invalidation {
  topic: InvalidationTopic;
  id: string;
}

/**
 * Tells every Gatehouse process that a cached view is stale. In-process by default;
 * Redis pub/sub when several nodes run. Publish after the change committed.
 */
export interface InvalidationBus {
  publish(message: Invalidation): Promise<void>;
  subscribe(listener: (message: Invalidation) => void): () => void;
}
