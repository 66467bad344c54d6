/**
 * Topics that invalidate cached views: `session`, `user` and `tenant` by id, and `access` by
 * organization id (any role, membership, custom-role assignment, entity deletion or grant change
 * of that organization: its access view must be rebuilt).
 */
export type InvalidationTopic = 'session' | 'user' | 'tenant' | 'access';

/**
 * Invalidation message: a topic and the id whose cached view is stale. The id `*`
 * ({@link EVERY_ID}) means every id of the topic, sent when messages may have been lost
 * (a networked bus reconnected).
 */
export interface Invalidation {
  topic: InvalidationTopic;
  id: string;
}

/** The wildcard id of an {@link Invalidation}: every cached view of the topic is stale. */
export const EVERY_ID = '*';

/**
 * Tells every Gatehouse process that a cached view is stale. In-process by default;
 * Redis pub/sub when several nodes run. Publish after the change committed.
 */
export interface InvalidationBus {
  /** Delivers to this process's listeners at once, then to other processes. Never throws for a delivery failure elsewhere. */
  publish(message: Invalidation): Promise<void>;
  subscribe(listener: (message: Invalidation) => void): () => void;
  /**
   * Whether messages from other processes currently arrive. While false, a cache that has no
   * other way to notice changes must not keep entries (serve from the store instead). A bus
   * for one process always answers true; absent means true.
   */
  connected?(): boolean;
}
