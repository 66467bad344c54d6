import type { Logger } from 'pino';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { Clock } from '../../domain/shared/clock.js';

/** Ended rows are kept this long, so "refresh token reused" can still be told apart from "unknown". */
export const CLEANUP_GRACE_SECONDS = 24 * 3600;

/** Deletes sessions and single-use tokens that ended more than a day before `now`. */
export async function runCleanup(persistence: Persistence, now: Date): Promise<{ sessions: number; tokens: number }> {
  const before = new Date(now.getTime() - CLEANUP_GRACE_SECONDS * 1000);
  const [sessions, tokens] = await Promise.all([persistence.sessions.deleteExpired(before), persistence.oneTimeTokens.deleteExpired(before)]);
  return { sessions, tokens };
}

/** Runs the cleanup now and then every `intervalSeconds`; returns a stop function. */
export function scheduleCleanup(persistence: Persistence, logger: Logger, intervalSeconds: number, clock: Clock): () => void {
  const run = async (): Promise<void> => {
    try {
      const deleted = await runCleanup(persistence, clock.now());
      if (deleted.sessions + deleted.tokens > 0) logger.info(deleted, 'cleanup: deleted expired rows');
    } catch (error) {
      logger.warn({ err: error }, 'cleanup failed; will retry');
    }
  };
  const timer = setInterval(() => void run(), intervalSeconds * 1000);
  timer.unref();
  void run();
  return () => clearInterval(timer);
}
