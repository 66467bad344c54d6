import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { entities } from '../../adapters/persistence/mikro-orm/index.js';
import { migrations } from './migrations/index.js';

/** Where and how to connect. */
export interface OrmConnectionOptions {
  /** A plain `postgres://user:password@host:port/database` URL. */
  url: string;
  /**
   * Host and port, overriding the URL's. A unix socket directory must be passed here:
   * MikroORM ignores a `?host=` query parameter in the URL.
   */
  host?: string;
  port?: number;
  /** Log every SQL statement. */
  debug?: boolean;
  /** Connection pool size (default 10). */
  poolMax?: number;
}

/**
 * The MikroORM configuration Gatehouse runs with: the adapter's schemas, the hand-written
 * migrations as an explicit list (no file globbing, so `dist/` and sources behave alike)
 * and no schema generation or metadata caching.
 */
export function buildOrmConfig(options: OrmConnectionOptions): Options {
  return defineConfig({
    clientUrl: options.url,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    entities: [...entities],
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList: migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    debug: options.debug ?? false,
    // Repositories always work on a fork or a transaction's EM; the global one is never used directly.
    allowGlobalContext: false,
    // No relations and no dirty checking: keep MikroORM from installing per-property accessors
    // on the domain classes' prototypes (it still adds toJSON and hidden helpers).
    propagationOnPrototype: false,
    metadataCache: { enabled: false },
    ensureDatabase: false,
  });
}
