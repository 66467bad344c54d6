import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import type { HostReply, HostRequest } from './spawn-embedded-postgres.js';

/*
 * The process that hosts the embedded database (spawned by spawnEmbeddedPostgres). It starts PGlite on
 * the parent's request, dumps it on request, and closes it when asked or when the parent is gone, so the
 * data directory is closed cleanly even after the parent crashed. Signals are left to the parent: Ctrl-C
 * reaches the whole process group, and the database must outlive the parent's graceful shutdown.
 */
if (!process.send) throw new Error('embedded-postgres-host runs only as a child process (spawnEmbeddedPostgres)');

const reply = (message: HostReply) => new Promise<void>((resolve) => process.send?.(message, undefined, undefined, () => resolve()));
let database: EmbeddedPostgres | null = null;
/** The start in progress: a parent gone during initdb must not leave a half-created data directory. */
let starting: Promise<unknown> = Promise.resolve();
let closing: Promise<void> | null = null;

function close(): Promise<void> {
  closing ??= (async () => {
    try {
      await starting.catch(() => undefined);
      await database?.stop();
    } finally {
      if (process.connected) process.disconnect();
      process.exit(0);
    }
  })();
  return closing;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);
process.on('disconnect', () => void close());

process.on('message', (request: HostRequest) => {
  switch (request.type) {
    case 'start':
      starting = startEmbeddedPostgres(request.options).then(
        async (started) => {
          database = started;
          if (!request.initialiseOnly) return reply({ type: 'ready', url: started.url, host: started.host, port: started.port });
          await started.stop();
          database = null;
          await reply({ type: 'initialised' });
          process.exit(0);
        },
        async (error: unknown) => {
          await reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
          process.exit(1);
        },
      );
      break;
    case 'dump':
      if (!database) {
        void reply({ type: 'dumped', id: request.id, error: 'the database is not started' });
        break;
      }
      database.dump().then(
        async (blob) => reply({ type: 'dumped', id: request.id, bytes: new Uint8Array(await blob.arrayBuffer()) }),
        (error: unknown) => void reply({ type: 'dumped', id: request.id, error: error instanceof Error ? error.message : String(error) }),
      );
      break;
    case 'stop':
      void close();
      break;
  }
});
