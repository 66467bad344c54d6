import type { Logger } from 'pino';

/**
 * Logs a promise that failed with nobody awaiting it, where Node would end the process. Such a promise
 * comes from a request whose own error handling has answered already. Ending the process for it would
 * fail every other request in flight and let one request take the service down. A thrown exception
 * still ends the process, because after one the process state is unknown.
 */
export function logUnhandledRejections(logger: Pick<Logger, 'error'>, target: Pick<NodeJS.Process, 'on'> = process): void {
  target.on('unhandledRejection', (reason: unknown) => {
    logger.error({ err: reason }, 'a promise failed with nobody awaiting it; this is a defect, please report it');
  });
}
