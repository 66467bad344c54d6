import { MikroORM } from '@mikro-orm/postgresql';
import type { EmbeddedPostgres } from './embedded-postgres.js';
import { buildOrmConfig } from './orm-config.js';

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** PostgreSQL URL. Without one, an embedded PGlite database is started in `dataDir`. */
  url?: string;
  /** Data directory of the embedded database (created if missing; `memory://` for a throw-away one). */
  dataDir: string;
  /** Log SQL statements. */
  debug?: boolean;
  /** Connection pool size. */
  poolMax?: number;
  /** Start the embedded database from this data-directory dump (tests; needs a `memory://` dataDir). */
  loadDataDir?: Blob;
  /** Called when the embedded database's process ends without being asked to (the server then stops). */
  onEmbeddedExit?: (description: string) => void;
}

/** An open database: the ORM, its URL (for other clients such as pg-boss) and lifecycle. */
export interface Database {
  orm: MikroORM;
  /** Plain PostgreSQL URL of the server, embedded or not. */
  url: string;
  /** Whether this is the embedded PGlite database. */
  embedded: boolean;
  /** Applies pending migrations; returns their names. */
  migrate(): Promise<string[]>;
  /** How many migrations are not applied yet (readiness, `migrate --check`). */
  pendingMigrations(): Promise<number>;
  /** A dump of the embedded database's data directory (backups, test templates); throws for an external server. */
  dumpEmbedded(): Promise<Blob>;
  /** Closes the ORM, then the embedded server and PGlite. Idempotent. */
  close(): Promise<void>;
}

/**
 * Connects MikroORM to PostgreSQL, or to an embedded PGlite when no URL is configured.
 * The connection is lazy: nothing is checked until the first query (or `migrate`).
 * An embedded database in a data directory runs in a process of its own (its WebAssembly
 * and memory apart from the event loop that answers requests); a `memory://` one, which
 * lives only as long as its process, runs in this one.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedPostgres | null = null;
  let connection: { url: string; host?: string; port?: number };
  if (options.url) {
    connection = { url: options.url };
  } else {
    // The ORM's pool plus room for other clients of the same database (job queue, rate limiter).
    const maxConnections = Math.max(16, (options.poolMax ?? 10) + 6);
    if (options.dataDir.startsWith('memory://')) {
      // PGlite (~1 MiB of RSS, and its WebAssembly once started) is loaded only when it is the database.
      const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
      embedded = await startEmbeddedPostgres({ dataDir: options.dataDir, maxConnections, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
    } else {
      if (options.loadDataDir) throw new Error('loadDataDir needs a memory:// dataDir');
      const { spawnEmbeddedPostgres } = await import('./spawn-embedded-postgres.js');
      embedded = await spawnEmbeddedPostgres({ dataDir: options.dataDir, maxConnections, ...(options.onEmbeddedExit ? { onUnexpectedExit: options.onEmbeddedExit } : {}) });
    }
    connection = { url: embedded.url, host: embedded.host, port: embedded.port };
  }
  let orm: MikroORM;
  try {
    orm = await MikroORM.init(buildOrmConfig({ ...connection, debug: options.debug ?? false, ...(options.poolMax !== undefined ? { poolMax: options.poolMax } : {}) }));
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  let closed = false;
  return {
    orm,
    url: connection.url,
    embedded: embedded !== null,
    async migrate() {
      const applied = await orm.migrator.up();
      return applied.map((m) => m.name);
    },
    async pendingMigrations() {
      return (await orm.migrator.getPending()).length;
    },
    dumpEmbedded() {
      if (!embedded) return Promise.reject(new Error('Only the embedded database can be dumped'));
      return embedded.dump();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await orm.close(true);
      } finally {
        await embedded?.stop();
      }
    },
  };
}
