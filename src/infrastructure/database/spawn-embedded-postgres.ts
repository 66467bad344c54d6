import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmbeddedPostgres, EmbeddedPostgresOptions } from './embedded-postgres.js';

/** What the parent asks of the host process. */
export type HostRequest =
  | { type: 'start'; options: Omit<EmbeddedPostgresOptions, 'loadDataDir'>; /** Create the data directory, close it and exit. */ initialiseOnly?: boolean }
  | { type: 'dump'; id: number }
  | { type: 'stop' };

/** What the host process answers. */
export type HostReply =
  | { type: 'ready'; url: string; host: string; port: number }
  | { type: 'initialised' }
  | { type: 'failed'; message: string }
  | { type: 'dumped'; id: number; bytes?: Uint8Array; error?: string };

/** Options of {@link spawnEmbeddedPostgres}. */
export interface SpawnedEmbeddedPostgresOptions extends Omit<EmbeddedPostgresOptions, 'loadDataDir'> {
  /** Called when the database process ends without being asked to: every later query fails. */
  onUnexpectedExit?: (description: string) => void;
  /** How long `stop` waits for PGlite to close before killing the process. */
  stopTimeoutMs?: number;
}

/**
 * Starts PGlite in a child process of its own (embedded-postgres-host), served over the PostgreSQL
 * protocol on 127.0.0.1 as before. Its WebAssembly runs on that process's event loop, not on the
 * one answering HTTP, and its memory (~160–200 MiB: the compiled PostgreSQL and its buffers) is
 * its own, like a PostgreSQL server's. The host holds the data-directory lock and closes PGlite
 * cleanly when this process ends, even by a crash (it sees its IPC channel close).
 */
export async function spawnEmbeddedPostgres(options: SpawnedEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { onUnexpectedExit, stopTimeoutMs = 30_000, ...start } = options;
  // Creating a data directory (initdb) leaves a process ~350 MiB larger than opening one; a host
  // of its own creates it and exits, and the one that serves starts once it is gone.
  if (!existsSync(join(start.dataDir, 'PG_VERSION'))) await (await forkHost(start, true)).exited;
  const { child, exited, reply } = await forkHost(start, false);
  if (reply.type !== 'ready') throw new Error(`The embedded database process answered ${reply.type} to start`);
  let stopping = false;
  void exited.then((description) => {
    if (!stopping) onUnexpectedExit?.(description);
  });
  return {
    url: reply.url,
    host: reply.host,
    port: reply.port,
    dump: () => requestDump(child),
    async stop() {
      if (stopping) return;
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      child.send({ type: 'stop' } satisfies HostRequest);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * Forks the host process, asks it to start (or only to initialise, then exit) and waits for its
 * answer. Its V8 runs WebAssembly with the baseline compiler only: optimising PostgreSQL's hot
 * functions as well held ~400 MiB more at peak, for no faster statements at an identity
 * service's sizes (ADR 0007).
 */
async function forkHost(start: Omit<EmbeddedPostgresOptions, 'loadDataDir'>, initialiseOnly: boolean): Promise<{ child: ChildProcess; exited: Promise<string>; reply: HostReply }> {
  const source = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(`./embedded-postgres-host.${source ? 'ts' : 'js'}`, import.meta.url));
  // From the sources (tests, `npm run dev`) the host runs through tsx, like its parent.
  const execArgv = [...(source ? ['--import', 'tsx'] : []), '--liftoff-only'];
  const child = fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)));
  const reply = await new Promise<HostReply>((resolve, reject) => {
    void exited.then((description) => reject(new Error(`The embedded database process exited (${description}) before it was ready`)));
    child.once('error', reject);
    child.on('message', function first(message: HostReply) {
      if (message.type === 'dumped') return;
      child.off('message', first);
      if (message.type === 'failed') reject(new Error(message.message));
      else resolve(message);
    });
    child.send({ type: 'start', options: start, initialiseOnly } satisfies HostRequest);
  });
  return { child, exited, reply };
}

let nextDumpId = 1;

function requestDump(child: ChildProcess): Promise<Blob> {
  const id = nextDumpId++;
  return new Promise((resolve, reject) => {
    const gone = () => reject(new Error('The embedded database process exited during the dump'));
    child.once('exit', gone);
    child.on('message', function onDump(reply: HostReply) {
      if (reply.type !== 'dumped' || reply.id !== id) return;
      child.off('message', onDump);
      child.off('exit', gone);
      if (reply.bytes) resolve(new Blob([reply.bytes]));
      else reject(new Error(`Dump failed: ${reply.error ?? 'unknown error'}`));
    });
    child.send({ type: 'dump', id } satisfies HostRequest);
  });
}
