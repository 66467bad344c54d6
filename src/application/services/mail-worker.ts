import {
  DEFAULT_MAIL_RETRY_POLICY,
  exceedsAttempts,
  nextAttemptAt,
  safeErrorText,
  type MailRetryPolicy,
  type OutboxMessage,
} from '../../domain/mail/outbox-message.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { MailRenderer } from '../ports/mail-renderer.port.js';
import type { MailTransport } from '../ports/mail-transport.port.js';
import type { OutboxRepository } from '../ports/outbox-repository.port.js';
import { MailDeliveryError } from './mail-delivery-error.js';

/** The part of a pino logger the worker uses (kept structural: the application imports no package). */
export interface MailWorkerLog {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** Tuning; every field has a default. */
export interface MailWorkerOptions {
  policy: MailRetryPolicy;
  /**
   * How long a claim lasts. Must exceed the longest send (the SMTP adapter's timeouts add up to
   * well under it): a lease that lapses mid-send lets another worker send the mail again.
   */
  leaseSeconds: number;
  /** Messages claimed per pass, delivered concurrently. */
  batchSize: number;
  /** Drop `data.link` from a message once it is sent (production); development keeps it readable. */
  eraseLinkAfterSend: boolean;
}

/** What one pass did. `lost`: marks refused because another worker had taken the message over. */
export interface MailWorkerPass {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  lost: number;
}

type Outcome = 'sent' | 'retried' | 'failed' | 'lost';

/**
 * Delivers the outbox: claims due messages (leased, so concurrent workers on several nodes never
 * share one), renders them, hands them to the transport, and marks each sent, or pending again
 * after an exponential backoff with jitter, or failed once its attempts are spent. A worker that
 * dies mid-pass loses nothing: its leases lapse and the messages are claimed again.
 *
 * `runOnce` is one pass and is what tests drive with a TestClock; `start`/`stop` poll it.
 */
export class MailWorker {
  readonly #options: MailWorkerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #current: Promise<void> | undefined;
  #stopping = false;

  constructor(
    private readonly deps: {
      outbox: OutboxRepository;
      renderer: MailRenderer;
      transport: MailTransport;
      clock: Clock;
      log: MailWorkerLog;
      /** Source of jitter in [0, 1); injectable so tests can pin the backoff. */
      random?: () => number;
    },
    options: Partial<MailWorkerOptions> = {},
  ) {
    this.#options = { policy: DEFAULT_MAIL_RETRY_POLICY, leaseSeconds: 120, batchSize: 10, eraseLinkAfterSend: true, ...options };
  }

  /** Claims one batch of due messages and delivers it. */
  async runOnce(): Promise<MailWorkerPass> {
    const { batchSize, leaseSeconds } = this.#options;
    const messages = await this.deps.outbox.claimDue(this.deps.clock.now(), batchSize, leaseSeconds);
    const pass: MailWorkerPass = { claimed: messages.length, sent: 0, retried: 0, failed: 0, lost: 0 };
    const outcomes = await Promise.allSettled(messages.map((message) => this.#deliver(message)));
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') pass[outcome.value]++;
      // Marking failed (the database went away): the lease lapses and the message comes back.
      else this.deps.log.error({ err: outcome.reason, mailId: messages[index]?.id }, 'mail: could not record the outcome; it will be retried when its lease lapses');
    }
    return pass;
  }

  /** Polls every `intervalMs`; a full batch is followed at once by the next one. */
  start(intervalMs: number): void {
    if (this.#current) return;
    this.#stopping = false;
    const tick = async (): Promise<void> => {
      try {
        let full = true;
        while (full && !this.#stopping) full = (await this.runOnce()).claimed >= this.#options.batchSize;
      } catch (error) {
        this.deps.log.warn({ err: error }, 'mail worker: pass failed; retrying at the next interval');
      }
      if (this.#stopping) return;
      this.#timer = setTimeout(() => {
        this.#current = tick();
      }, intervalMs);
      this.#timer.unref();
    };
    this.#current = tick();
  }

  /** Stops polling and waits for the pass in flight (its sends are bounded by the transport's timeouts). */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#current;
    this.#current = undefined;
  }

  async #deliver(message: OutboxMessage): Promise<Outcome> {
    const { policy, eraseLinkAfterSend } = this.#options;
    const context = { mailId: message.id, template: message.template, attempt: message.attempts, email: message.to };
    if (exceedsAttempts(message, policy)) {
      return this.#fail(message, `gave up: the lease lapsed ${message.attempts - 1} times (worker crashed while sending?)`, true, context);
    }
    let content;
    try {
      content = this.deps.renderer.render(message.template, message.data);
    } catch (error) {
      return this.#fail(message, `cannot render: ${describe(error)}`, true, context);
    }
    try {
      await this.deps.transport.send({ id: message.id, to: message.to, ...content });
    } catch (error) {
      return this.#fail(message, describe(error), error instanceof MailDeliveryError && error.permanent, context);
    }
    if (!(await this.deps.outbox.markSent(message, this.deps.clock.now(), { eraseLink: eraseLinkAfterSend }))) return this.#lost(context);
    this.deps.log.info(context, 'mail sent');
    return 'sent';
  }

  async #fail(message: OutboxMessage, reason: string, permanent: boolean, context: Record<string, unknown>): Promise<Outcome> {
    const error = safeErrorText(reason);
    const now = this.deps.clock.now();
    const next = permanent ? null : nextAttemptAt(message.attempts, now, (this.deps.random ?? Math.random)(), this.#options.policy);
    if (!(await this.deps.outbox.markFailed(message, error, next, now))) return this.#lost(context);
    if (next) {
      this.deps.log.warn({ ...context, error, nextAttemptAt: next.toISOString() }, 'mail not sent; will retry');
      return 'retried';
    }
    this.deps.log.error({ ...context, error }, 'mail given up (failed)');
    return 'failed';
  }

  #lost(context: Record<string, unknown>): Outcome {
    this.deps.log.warn(context, 'mail: lease lost to another worker; its outcome was not recorded');
    return 'lost';
  }
}

/** A transport's error as text; the repository passes it through safeErrorText before storing it. */
function describe(error: unknown): string {
  if (error instanceof MailDeliveryError) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
