import { addSeconds } from '../shared/clock.js';
import type { MailTemplate } from './mail-template.js';

/**
 * Where a queued mail is (see docs/flows/mail-outbox.md):
 * `pending` waits for `nextAttemptAt`; `sending` is leased to one worker until `leaseUntil`
 * (an expired lease means that worker died, and the message is claimable again);
 * `sent` and `failed` (dead: gave up) are final.
 */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

/** One mail in the transactional outbox. Written with the change that causes it; delivered later. */
export interface OutboxMessage {
  id: string;
  to: string;
  template: MailTemplate;
  /** The template's fields. `link` may carry a single-use token: treat the row as a secret. */
  data: Record<string, string>;
  state: OutboxState;
  /** Claims so far, the current one included; also the fencing token of the current lease. */
  attempts: number;
  /** When a pending message becomes due; null once sent or dead. */
  nextAttemptAt: Date | null;
  /** While `sending`: when the lease lapses and another worker may take the message over. */
  leaseUntil: Date | null;
  /** Why the last attempt failed, already passed through `safeErrorText`. */
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

/** The claim a worker holds: its id and the attempt number it claimed (a stale worker's marks are ignored). */
export type OutboxClaim = Pick<OutboxMessage, 'id' | 'attempts'>;

/** How hard delivery tries. */
export interface MailRetryPolicy {
  /** Claims before a message is given up (state failed). */
  maxAttempts: number;
  /** Delay before the second attempt; each later one doubles it. */
  baseDelaySeconds: number;
  /** No delay grows past this. */
  maxDelaySeconds: number;
}

/** 10 attempts over about an hour: 10 s, 20 s, 40 s, … capped at 15 minutes. */
export const DEFAULT_MAIL_RETRY_POLICY: MailRetryPolicy = { maxAttempts: 10, baseDelaySeconds: 10, maxDelaySeconds: 900 };

/** A new pending message, due at once. */
export function newOutboxMessage(input: { id: string; to: string; template: MailTemplate; data: Record<string, string>; now: Date }): OutboxMessage {
  return {
    id: input.id,
    to: input.to,
    template: input.template,
    data: { ...input.data },
    state: 'pending',
    attempts: 0,
    nextAttemptAt: input.now,
    leaseUntil: null,
    lastError: null,
    createdAt: input.now,
    updatedAt: input.now,
    sentAt: null,
  };
}

/** Whether a worker may claim the message at `now`: due and pending, or leased by a worker that is gone. */
export function isClaimable(message: OutboxMessage, now: Date): boolean {
  if (message.state === 'pending') return message.nextAttemptAt !== null && message.nextAttemptAt <= now;
  return message.state === 'sending' && message.leaseUntil !== null && message.leaseUntil <= now;
}

/** The message leased to one worker for `leaseSeconds`; the attempt is counted at the claim, so a crash counts. */
export function claimed(message: OutboxMessage, now: Date, leaseSeconds: number): OutboxMessage {
  return { ...message, state: 'sending', attempts: message.attempts + 1, leaseUntil: addSeconds(now, leaseSeconds), updatedAt: now };
}

/** Whether `claim` is the lease the message is under now (a worker whose lease lapsed no longer is). */
export function holdsLease(message: OutboxMessage, claim: OutboxClaim): boolean {
  return message.state === 'sending' && message.attempts === claim.attempts;
}

/** The delivered message. `eraseLink` drops the link (and the token in it) now that nobody needs it. */
export function delivered(message: OutboxMessage, now: Date, eraseLink: boolean): OutboxMessage {
  const data = { ...message.data };
  if (eraseLink) delete data['link'];
  return { ...message, data, state: 'sent', nextAttemptAt: null, leaseUntil: null, sentAt: now, updatedAt: now };
}

/** The message after a failed attempt: pending again at `nextAttemptAt`, or dead (failed) when that is null. */
export function attemptFailed(message: OutboxMessage, error: string, nextAttemptAt: Date | null, now: Date): OutboxMessage {
  return { ...message, state: nextAttemptAt ? 'pending' : 'failed', nextAttemptAt, leaseUntil: null, lastError: safeErrorText(error), updatedAt: now };
}

/**
 * Seconds to wait after failed attempt number `attempt` (1-based): exponential, capped, with
 * "equal jitter" — half the delay fixed, half scaled by `jitter` in [0, 1) — so that messages that
 * failed together (an SMTP outage) do not all come back in the same second. Pure: the caller
 * passes the random number.
 */
export function retryDelaySeconds(attempt: number, jitter: number, policy: MailRetryPolicy): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const delay = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** exponent);
  const unit = Math.min(Math.max(jitter, 0), 1);
  return delay / 2 + (delay / 2) * unit;
}

/** When to try again after the claimed attempt failed, or null: give up (attempts exhausted). */
export function nextAttemptAt(attempts: number, now: Date, jitter: number, policy: MailRetryPolicy): Date | null {
  return attempts >= policy.maxAttempts ? null : addSeconds(now, retryDelaySeconds(attempts, jitter, policy));
}

/**
 * Whether a message came back more often than the policy allows: its earlier workers lost their
 * leases (crashed mid-send). It is given up without sending once more, so a mail that crashes
 * the worker cannot crash it forever.
 */
export function exceedsAttempts(message: OutboxMessage, policy: MailRetryPolicy): boolean {
  return message.attempts > policy.maxAttempts;
}

/** Longest `lastError` kept. */
const MAX_ERROR_LENGTH = 300;

/**
 * An error text safe to store and log: URLs (they may carry tokens) and email addresses are
 * replaced, control characters and runs of whitespace collapsed, the length capped. Transports
 * must still never put credentials in their messages; this is the second line.
 */
export function safeErrorText(raw: string): string {
  const text = raw
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[url]')
    .replace(/[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+/g, '[email]')
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
    .trim();
  const capped = text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
  return capped || 'unknown error';
}
