import { describe, expect, it } from 'vitest';
import type { SessionRepository } from '../../src/application/ports/session-repository.port.js';
import type { AuthSettings } from '../../src/application/services/auth-settings.js';
import { SessionIssuer } from '../../src/application/services/session-issuer.js';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import { isDomainError } from '../../src/domain/shared/domain-error.js';
import { newSession, newUser } from '../contracts/fixtures.js';
import { TestClock } from '../support/test-clock.js';
import { stubAccessTokens } from '../support/stub-access-tokens.js';

const META = { ip: '203.0.113.1', userAgent: 'vitest' };

/** SessionIssuer.succeed with a provider that binds its own sessions (as Stytch does): what it opens, it also closes. */
describe('a succession that does not happen', () => {
  function world(sessions?: (real: SessionRepository) => SessionRepository) {
    const p = createInMemoryPersistence();
    const clock = new TestClock(new Date('2030-01-01T00:00:00.000Z'));
    const opened: string[] = [];
    const revoked: string[] = [];
    const tokens = stubAccessTokens();
    const settings: AuthSettings = { sessions: { idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 86_400 }, intermediateTokenTtlSeconds: 600, passwordPolicy: { minLength: 12, maxLength: 1024 } };
    const identity = {
      openSession: async () => {
        opened.push(`ps-${opened.length + 1}`);
        return opened.at(-1)!;
      },
      revokeProviderSession: async (handle: string) => void revoked.push(handle),
    };
    const bus = { publish: async () => undefined, subscribe: () => () => undefined };
    const issuer = new SessionIssuer({ sessions: sessions ? sessions(p.sessions) : p.sessions, tokens, clock, settings, identity, bus });
    return { p, clock, issuer, opened, revoked };
  }

  async function signedIn(w: ReturnType<typeof world>) {
    const user = newUser();
    await w.p.users.save(user);
    const session = newSession(user, { now: w.clock.now() });
    await w.p.sessions.create(session, 'a'.repeat(64));
    return { user, session };
  }

  it('closes the provider session it opened when the old session ended meanwhile', async () => {
    const w = world((real) => Object.assign(Object.create(real) as SessionRepository, { succeed: async () => false }));
    const { user, session } = await signedIn(w);
    const refused = await w.issuer
      .succeed({ user, organization: null, membership: null, amr: ['pwd'], meta: META, succeeds: { sessionId: session.id, accessNotAfter: null } })
      .catch((error: unknown) => error);
    expect(isDomainError(refused, 'AUTH_SESSION_REVOKED')).toBe(true);
    expect(w.revoked).toEqual(w.opened);
  });

  it('closes it when the write fails', async () => {
    const w = world((real) =>
      Object.assign(Object.create(real) as SessionRepository, {
        succeed: async () => {
          throw new Error('database down');
        },
      }),
    );
    const { user, session } = await signedIn(w);
    await expect(w.issuer.succeed({ user, organization: null, membership: null, amr: ['pwd'], meta: META, succeeds: { sessionId: session.id, accessNotAfter: null } })).rejects.toThrow('database down');
    expect(w.revoked).toEqual(w.opened);
  });

  it('keeps it when the succession happens', async () => {
    const w = world();
    const { user, session } = await signedIn(w);
    const outcome = await w.issuer.succeed({ user, organization: null, membership: null, amr: ['pwd'], meta: META, succeeds: { sessionId: session.id, accessNotAfter: null } });
    expect(outcome.refreshToken).toBeNull();
    expect(w.revoked).toEqual([]);
    expect((await w.p.sessions.findById(outcome.session.id))?.providerSession).toBe(w.opened[0]);
  });
});
