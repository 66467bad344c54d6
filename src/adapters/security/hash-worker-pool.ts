import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { ScryptParams } from './scrypt-params.js';

/*
 * Password hashes run in dedicated worker threads using the synchronous scrypt.
 * Why not crypto.scrypt (async)? It runs on libuv's shared pool, the same four
 * threads WebCrypto (jose) uses, so a burst of logins would stall every token
 * check behind it. Workers keep hashing apart, and the queue is bounded so
 * abandoned requests cannot pile up unbounded work.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Linux applies setpriority(0) to the calling thread only: this lowers the hashing
// thread, not the event loop, so token checks win the CPU when both want it.
try { require('node:os').setPriority(workerData.nice); } catch {}
const { scryptSync } = require('node:crypto');
parentPort.on('message', (job) => {
  try {
    const N = 2 ** job.ln;
    const out = scryptSync(Buffer.from(job.password, 'utf8'), Buffer.from(job.salt), job.keylen,
      { N, r: job.r, p: job.p, maxmem: 256 * N * job.r + 1024 * 1024 });
    parentPort.postMessage({ id: job.id, hash: out });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String(error && error.message || error) });
  }
});`;

interface Job {
  id: number;
  password: string;
  salt: Buffer;
  params: ScryptParams;
  keylen: number;
  resolve: (hash: Buffer) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  /** When the running job was handed over, and how busy the event loop has been since. */
  started: number;
  loopBusy: (() => number) | null;
  /** Set while the slot rests after a hash that ran against a busy event loop. */
  rest: NodeJS.Timeout | null;
}

/** How busy the event loop has been: `begin()` starts a measurement, the function it returns reads it (0–1). */
export interface LoopLoadProbe {
  begin(): () => number;
}

/** Event-loop utilization from perf_hooks: the share of time the loop spent running code rather than waiting. */
export const eventLoopUtilization: LoopLoadProbe = {
  begin() {
    const start = performance.eventLoopUtilization();
    return () => performance.eventLoopUtilization(start).utilization;
  },
};

export interface HashPoolOptions {
  /** Hashing threads. */
  size: number;
  /** Hashes allowed to wait; beyond it `SERVICE_OVERLOADED`. */
  queueMax: number;
  /** Nice value of the hashing threads (0 = same as the event loop, 19 = lowest). */
  nice?: number;
  /**
   * After a hash during which the event loop was busier than `BUSY_LOOP`, the thread rests this many
   * times that hash's duration before taking the next one (at most `MAX_REST_MS`); 0 never rests.
   * See ADR 0008: under an API rush, sign-ins slow down so token checks keep the CPU.
   */
  busyRest?: number;
  /** Cap on one rest (default `MAX_REST_MS`). */
  maxRestMs?: number;
  probe?: LoopLoadProbe;
}

/** Event-loop utilization above which a hash is taken to have competed with requests for the CPU. */
export const BUSY_LOOP = 0.8;
/** The longest a thread rests after one hash by default, so sign-ins slow under load but never stall. */
export const MAX_REST_MS = 2_000;

/** What the pool has done since it started, for /metrics. */
export interface HashPoolStats {
  hashes: number;
  rests: number;
  restedMs: number;
  queued: number;
}

/** A fixed set of hashing threads with a bounded FIFO queue, which yield the CPU when requests need it. */
export class HashWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly queueMax: number;
  private readonly nice: number;
  private readonly busyRest: number;
  private readonly maxRestMs: number;
  private readonly probe: LoopLoadProbe;
  private readonly counts = { hashes: 0, rests: 0, restedMs: 0 };
  private nextId = 1;
  private closed = false;

  constructor(options: HashPoolOptions) {
    this.queueMax = options.queueMax;
    this.nice = options.nice ?? 10;
    this.busyRest = options.busyRest ?? 0;
    this.maxRestMs = options.maxRestMs ?? MAX_REST_MS;
    this.probe = options.probe ?? eventLoopUtilization;
    for (let i = 0; i < options.size; i++) this.slots.push(this.spawn());
  }

  stats(): HashPoolStats {
    return { ...this.counts, queued: this.queue.length };
  }

  scrypt(password: string, salt: Buffer, params: ScryptParams, keylen: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('hash pool closed'));
    if (this.queue.length >= this.queueMax) {
      return Promise.reject(new DomainError('SERVICE_OVERLOADED', 'Too many sign-ins in progress; try again shortly', { retryAfter: 1 }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, password, salt, params, keylen, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) this.endRest(slot);
    for (const job of this.queue.splice(0)) job.reject(new Error('hash pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice: this.nice } });
    const slot: Slot = { worker, job: null, started: 0, loopBusy: null, rest: null };
    worker.unref();
    worker.on('message', (msg: { id: number; hash?: Uint8Array; error?: string }) => {
      const job = slot.job;
      slot.job = null;
      if (job && job.id === msg.id) {
        this.counts.hashes++;
        if (msg.hash) job.resolve(Buffer.from(msg.hash));
        else job.reject(new Error(`scrypt failed: ${msg.error}`));
      }
      this.restIfLoopWasBusy(slot);
      this.dispatch();
    });
    slot.worker.on('error', (error) => {
      slot.job?.reject(error);
      slot.job = null;
      this.endRest(slot);
      if (!this.closed) {
        const index = this.slots.indexOf(slot);
        if (index >= 0) this.slots[index] = this.spawn();
        this.dispatch();
      }
    });
    return slot;
  }

  /**
   * A hash that ran while the event loop was saturated took CPU from requests. Resting the thread
   * afterwards hands that CPU back; the rest ends from its own timer (never by comparing clocks: Node
   * timers may fire a little early, and a slot that is never woken would stall every sign-in).
   */
  private restIfLoopWasBusy(slot: Slot): void {
    const busy = slot.loopBusy?.() ?? 0;
    slot.loopBusy = null;
    if (this.busyRest <= 0 || this.closed || busy <= BUSY_LOOP) return;
    const ms = Math.min(this.maxRestMs, Math.round((performance.now() - slot.started) * this.busyRest));
    if (ms < 1) return;
    this.counts.rests++;
    this.counts.restedMs += ms;
    slot.rest = setTimeout(() => {
      slot.rest = null;
      this.dispatch();
    }, ms);
  }

  private endRest(slot: Slot): void {
    if (slot.rest) clearTimeout(slot.rest);
    slot.rest = null;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || slot.rest || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.started = performance.now();
      slot.loopBusy = this.probe.begin();
      slot.worker.postMessage({ id: job.id, password: job.password, salt: job.salt, ln: job.params.ln, r: job.params.r, p: job.params.p, keylen: job.keylen });
    }
  }
}
