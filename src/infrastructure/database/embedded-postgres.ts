import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A PGlite database served over the PostgreSQL wire protocol on 127.0.0.1. */
export interface EmbeddedPostgres {
  /** A plain URL every PostgreSQL client can use (MikroORM, pg-boss, rate limiters). */
  url: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Data directory (created if missing), or `memory://` for a throw-away database. */
  dataDir: string;
  /** A data-directory dump (`PGlite.dumpDataDir()`) to start from; only with a `memory://` dataDir. */
  loadDataDir?: Blob;
  /** Concurrent client connections the multiplexer accepts. */
  maxConnections?: number;
}

/**
 * Starts PGlite (PostgreSQL compiled to WASM, in this process) behind PGLiteSocketServer.
 * PGlite is single-session: the socket server multiplexes connections and, while one
 * connection is inside a transaction, holds back every other connection's statements
 * until it commits or rolls back. Transactions are therefore serialized.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (!options.dataDir.startsWith('memory://')) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: options.maxConnections ?? 16 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = listeningPort(server);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    host: '127.0.0.1',
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}

function listeningPort(server: PGLiteSocketServer): number {
  // After start(), getServerConn() reports the port the OS picked for port 0 ("127.0.0.1:54321").
  const port = Number(server.getServerConn().split(':').pop());
  if (!Number.isInteger(port) || port <= 0) throw new Error('PGlite socket server did not report a listening port');
  return port;
}
