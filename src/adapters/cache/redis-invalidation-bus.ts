import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { EVERY_ID, type Invalidation, type InvalidationBus, type InvalidationTopic } from '../../application/ports/invalidation-bus.port.js';
import { InProcessInvalidationBus } from './in-process-invalidation-bus.js';

/** Options of {@link RedisInvalidationBus}. */
export interface RedisInvalidationBusOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Pub/sub channel shared by every node of one deployment. */
  channel?: string;
  /** Name of both connections in `CLIENT LIST` (default `gatehouse-invalidation`). */
  connectionName?: string;
  /** Called when Redis fails (publish refused, connection error) or a listener throws; the bus itself never throws. */
  onError?: (error: unknown, context: string) => void;
}

const TOPICS: readonly InvalidationTopic[] = ['session', 'user', 'tenant', 'access'];
/** Failed publishes kept for a retry on reconnect; past this, the reconnect sends wildcards instead. */
const MAX_PENDING = 10_000;

/**
 * Invalidations across Gatehouse processes over Redis pub/sub.
 *
 * - `publish` delivers to this process's listeners at once (a node always sees its own change
 *   immediately), then publishes `{o, t, i}` on the channel; every other node delivers it to its
 *   listeners. A node ignores its own messages coming back.
 * - Pub/sub is fire-and-forget: a node that is not subscribed misses messages. So `connected()`
 *   is true only while the subscription is live (caches then stop keeping entries), and every
 *   (re)subscription delivers `{topic, id: '*'}` for each topic locally: whatever was cached before
 *   may have missed a change.
 * - A publish that fails is kept and sent again once the publishing connection is back, so the
 *   other nodes still hear about the change (or, past {@link MAX_PENDING}, about every id).
 */
export class RedisInvalidationBus implements InvalidationBus {
  private readonly local: InProcessInvalidationBus;
  private readonly origin = randomUUID();
  private readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly pending = new Map<string, Invalidation>();
  private overflowed = false;
  private subscribed = false;
  private closed = false;
  private readonly ready: Promise<void>;

  constructor(private readonly options: RedisInvalidationBusOptions) {
    this.local = new InProcessInvalidationBus((error, context) => this.report(error, context));
    this.channel = options.channel ?? 'gatehouse:invalidation';
    // Bounded retries: a change must not wait long on Redis; a failed publish is retried on reconnect.
    const connectionName = options.connectionName ?? 'gatehouse-invalidation';
    this.publisher = new Redis(options.url, { connectionName, maxRetriesPerRequest: 2, connectTimeout: 2_000 });
    // Subscriptions are re-established by hand on every `ready`, so that we know when they are live.
    this.subscriber = new Redis(options.url, { connectionName, autoResubscribe: false, connectTimeout: 2_000, maxRetriesPerRequest: null });
    this.publisher.on('error', (error: unknown) => this.report(error, 'publisher'));
    this.subscriber.on('error', (error: unknown) => this.report(error, 'subscriber'));
    this.publisher.on('ready', () => void this.flushPending());
    this.subscriber.on('close', () => {
      this.subscribed = false;
    });
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.receive(raw);
    });
    let resolveReady: () => void = () => {};
    this.ready = new Promise<void>((resolve) => {
      resolveReady = resolve;
    });
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.subscribed = true;
          this.resetLocally();
          resolveReady();
        },
        (error: unknown) => this.report(error, 'subscribe'),
      );
    });
  }

  /** Resolves once the subscription is live, or rejects after `timeoutMs` (the bus keeps trying). */
  whenReady(timeoutMs = 5_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis invalidation bus not subscribed after ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.ready, timeout]).finally(() => clearTimeout(timer));
  }

  async publish(message: Invalidation): Promise<void> {
    this.local.deliver(message);
    await this.send(message);
  }

  subscribe(listener: (message: Invalidation) => void): () => void {
    return this.local.subscribe(listener);
  }

  connected(): boolean {
    return this.subscribed && !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscribed = false;
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }

  private async send(message: Invalidation): Promise<void> {
    if (this.closed) return;
    try {
      await this.publisher.publish(this.channel, JSON.stringify({ o: this.origin, t: message.topic, i: message.id }));
    } catch (error) {
      this.report(error, 'publish');
      if (this.pending.size < MAX_PENDING) this.pending.set(`${message.topic}\u0000${message.id}`, message);
      else this.overflowed = true;
    }
  }

  private async flushPending(): Promise<void> {
    const messages = this.overflowed ? TOPICS.map((topic) => ({ topic, id: EVERY_ID })) : [...this.pending.values()];
    this.pending.clear();
    this.overflowed = false;
    for (const message of messages) await this.send(message);
  }

  private receive(raw: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { o, t, i } = parsed as Record<string, unknown>;
    if (o === this.origin || typeof i !== 'string' || !TOPICS.includes(t as InvalidationTopic)) return;
    this.local.deliver({ topic: t as InvalidationTopic, id: i });
  }

  private resetLocally(): void {
    for (const topic of TOPICS) this.local.deliver({ topic, id: EVERY_ID });
  }

  private report(error: unknown, context: string): void {
    if (!this.closed) this.options.onError?.(error, context);
  }
}
