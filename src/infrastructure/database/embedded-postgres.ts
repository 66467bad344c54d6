import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataDir } from './data-dir-lock.js';

/** A PGlite database served over the PostgreSQL wire protocol on 127.0.0.1. */
export interface EmbeddedPostgres {
  /** A plain URL every PostgreSQL client can use (MikroORM, pg-boss, rate limiters). */
  url: string;
  host: string;
  port: number;
  /** A dump of the data directory (`PGlite.dumpDataDir`): backups, test templates. */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
}

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Data directory (created if missing; one process at a time), or `memory://` for a throw-away database. */
  dataDir: string;
  /** A data-directory dump (`PGlite.dumpDataDir()`) to start from; only with a `memory://` dataDir. */
  loadDataDir?: Blob;
  /** Concurrent client connections the multiplexer accepts. */
  maxConnections?: number;
}

/**
 * PGlite's own start parameters, with smaller buffers than its 160 MiB of shared buffers and 64 MiB for
 * index builds: PGlite keeps both in its WebAssembly memory, which never shrinks, and an embedded
 * install's data is small (its files stay in the OS page cache besides). A restarted host measured
 * 298 → 195 MiB after the same work (ADR 0007).
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB', '-c', 'maintenance_work_mem=16MB'];

/**
 * Starts PGlite (PostgreSQL compiled to WASM, in this process) behind PGLiteSocketServer.
 * PGlite is single-session: the socket server multiplexes connections and, while one
 * connection is inside a transaction, holds back every other connection's statements
 * until it commits or rolls back. Transactions are therefore serialized.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const onDisk = !options.dataDir.startsWith('memory://');
  if (onDisk) await mkdir(options.dataDir, { recursive: true });
  const lock = onDisk ? await lockDataDir(options.dataDir) : { release: async () => {} };
  let db: PGlite | null = null;
  let server: PGLiteSocketServer;
  try {
    db = await PGlite.create({ dataDir: options.dataDir, startParams: START_PARAMS, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: options.maxConnections ?? 16 });
    await server.start();
  } catch (error) {
    await db?.close();
    await lock.release();
    throw error;
  }
  const started = db;
  const port = listeningPort(server);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    dump: () => started.dumpDataDir('none'),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await server.stop();
        await started.close();
      } finally {
        await lock.release();
      }
    },
  };
}

function listeningPort(server: PGLiteSocketServer): number {
  // After start(), getServerConn() reports the port the OS picked for port 0 ("127.0.0.1:54321").
  const port = Number(server.getServerConn().split(':').pop());
  if (!Number.isInteger(port) || port <= 0) throw new Error('PGlite socket server did not report a listening port');
  return port;
}
