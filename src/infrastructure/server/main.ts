import './runtime-tuning.js';
import 'reflect-metadata';
import { createMikroOrmPersistence } from '../../adapters/persistence/mikro-orm/index.js';
import { createInMemoryPersistence } from '../../adapters/persistence/in-memory/index.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { openDatabase } from '../database/open-database.js';
import { createLogger } from '../logging/logger.js';
import { createGatehouse, listen } from './gatehouse.js';
import { scheduleCleanup } from './cleanup-job.js';
import { logUnhandledRejections } from './unhandled-rejections.js';
import { SystemClock } from '../../adapters/cache/system-clock.js';
import type { MailWorker } from '../../application/services/mail-worker.js';
import { T } from '../di/tokens.js';

/** Starts the HTTP service: config → database (+ migrations) → wiring → listen; stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee docs/configuration.md and .env.example.\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  logUnhandledRejections(logger);
  const database = config.ALLOW_IN_MEMORY_STORE
    ? null
    : await openDatabase({
        ...(config.DATABASE_URL ? { url: config.DATABASE_URL } : {}),
        dataDir: config.DATA_DIR,
        poolMax: config.DATABASE_POOL_MAX,
        // Without its database the service can answer nothing; a supervisor restarts both.
        onEmbeddedExit: (description) => {
          logger.fatal({ exit: description }, 'the embedded database process ended; stopping');
          process.exit(1);
        },
      });
  if (database) {
    const applied = await database.migrate();
    logger.info({ embedded: database.embedded, applied }, database.embedded ? `embedded PostgreSQL in ${config.DATA_DIR}` : 'connected to PostgreSQL');
    // The embedded database's URL (no password; 127.0.0.1 only), for pg_dump and psql (docs/operations.md).
    if (database.embedded) logger.debug({ url: database.url }, 'embedded PostgreSQL URL');
  } else {
    logger.warn('ALLOW_IN_MEMORY_STORE=true: nothing is persisted');
  }
  const persistence = database ? createMikroOrmPersistence(database.orm) : createInMemoryPersistence();
  const gatehouse = await createGatehouse({
    config,
    logger,
    persistence,
    readiness: database ? { migrations: async () => (await database.pendingMigrations()) === 0 } : {},
    ...(database ? { databaseUrl: database.url } : {}),
  });
  const server = await listen(gatehouse.app, config.HOST, config.PORT);
  const stopCleanup = scheduleCleanup(persistence, logger, config.SESSION_CLEANUP_INTERVAL_SECONDS, new SystemClock());
  // Delivers the outbox, including mail left over from before a crash or restart.
  const mailWorker = gatehouse.container.get<MailWorker>(T.MailWorker);
  mailWorker.start(config.MAIL_WORKER_INTERVAL_MS);
  if (config.NODE_ENV === 'production' && config.MAIL_TRANSPORT === 'outbox') {
    logger.warn('MAIL_TRANSPORT=outbox: mail is logged (links redacted), not delivered; set MAIL_TRANSPORT=smtp');
  }
  logger.info({ url: server.url, identity: config.IDENTITY_PROVIDER, mail: config.MAIL_TRANSPORT }, `Gatehouse listening on ${server.url}`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    stopCleanup();
    await server.stop(config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    // Before the database closes: a pass in flight records its outcomes (or its leases lapse and another node resends).
    await mailWorker.stop();
    await gatehouse.close();
    await database?.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Gatehouse failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
