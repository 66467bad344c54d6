import { describe, expect, it } from 'vitest';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import { runCleanup } from '../../src/infrastructure/server/cleanup-job.js';
import { type Harness, signUpUnverified, startHarness } from '../support/http-harness.js';

describe('the cleanup job', () => {
  it('deletes sessions and single-use tokens a day after they ended, and nothing live', async () => {
    const persistence = createInMemoryPersistence();
    const h: Harness = await startHarness({ persistence });
    try {
      const old = await signUpUnverified(h, 'old@example.com');
      await h.call('POST', '/api/v1/auth/password/forgot', { body: { email: 'old@example.com' } });
      // The old session ended an hour ago (idle timeout): kept for a day, then deleted.
      h.clock.advance(h.config.SESSION_IDLE_TIMEOUT_SECONDS + 3600);
      const live = await signUpUnverified(h, 'live@example.com');
      const first = await runCleanup(persistence, h.clock.now());
      expect(first.sessions).toBe(0);
      expect(first.tokens).toBeGreaterThanOrEqual(2); // verification (24 h) and reset (1 h) links ended days ago
      expect(await persistence.sessions.findById(old.session.id)).not.toBeNull();
      h.clock.advance(24 * 3600);
      expect((await runCleanup(persistence, h.clock.now())).sessions).toBe(1);
      expect(await persistence.sessions.findById(old.session.id)).toBeNull();
      expect(await persistence.sessions.findById(live.session.id)).not.toBeNull();
    } finally {
      await h.close();
    }
  });
});
