import type { Logger } from 'pino';
import type { Persistence } from '../../application/ports/persistence.port.js';

/**
 * Deletes ended sessions and expired single-use tokens on a schedule. Rows are kept
 * a day past their end so "refresh token reused" can still be told apart from "unknown".
 */
export function scheduleCleanup(persistence: Persistence, logger: Logger, intervalSeconds: number): () => void {
  const run = async (): Promise<void> => {
    const before = new Date(Date.now() - 24 * 3600 * 1000);
    try {
      const [sessions, tokens] = await Promise.all([persistence.sessions.deleteExpired(before), persistence.oneTimeTokens.deleteExpired(before)]);
      if (sessions + tokens > 0) logger.info({ sessions, tokens }, 'cleanup: deleted expired rows');
    } catch (error) {
      logger.warn({ err: error }, 'cleanup failed; will retry');
    }
  };
  const timer = setInterval(() => void run(), intervalSeconds * 1000);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
