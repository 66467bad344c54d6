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
}

/** A fixed set of hashing threads with a bounded FIFO queue. */
export class HashWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    size: number,
    private readonly queueMax: number,
    /** Nice value of the hashing threads (0 = same as the event loop, 19 = lowest). */
    private readonly nice = 10,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  scrypt(password: string, salt: Buffer, params: ScryptParams, keylen: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('hash pool closed'));
    if (this.queue.length >= this.queueMax) {
      return Promise.reject(new DomainError('SERVICE_OVERLOADED', 'Too many sign-ins in progress; try again shortly'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, password, salt, params, keylen, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('hash pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_SOURCE, { eval: true, workerData: { nice: this.nice } }), job: null };
    slot.worker.unref();
    slot.worker.on('message', (msg: { id: number; hash?: Uint8Array; error?: string }) => {
      const job = slot.job;
      slot.job = null;
      if (job && job.id === msg.id) {
        if (msg.hash) job.resolve(Buffer.from(msg.hash));
        else job.reject(new Error(`scrypt failed: ${msg.error}`));
      }
      this.dispatch();
    });
    slot.worker.on('error', (error) => {
      slot.job?.reject(error);
      slot.job = null;
      if (!this.closed) {
        const index = this.slots.indexOf(slot);
        if (index >= 0) this.slots[index] = this.spawn();
        this.dispatch();
      }
    });
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, password: job.password, salt: job.salt, ln: job.params.ln, r: job.params.r, p: job.params.p, keylen: job.keylen });
    }
  }
}
