import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { logUnhandledRejections } from '../../src/infrastructure/server/unhandled-rejections.js';

describe('a promise that failed with nobody awaiting it', () => {
  it('is logged as an error, and the process goes on serving', () => {
    const logged: { fields: Record<string, unknown>; message: string }[] = [];
    const processLike = new EventEmitter();
    logUnhandledRejections({ error: ((fields: Record<string, unknown>, message: string) => logged.push({ fields, message })) as never }, processLike as never);
    const reason = new Error('Connection terminated unexpectedly');
    processLike.emit('unhandledRejection', reason, Promise.resolve());
    expect(logged).toEqual([{ fields: { err: reason }, message: expect.stringContaining('nobody awaiting it') }]);
    expect(processLike.listenerCount('unhandledRejection')).toBe(1);
  });
});
