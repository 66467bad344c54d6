import type { Clock } from '../../domain/shared/clock.js';
import type { Session } from '../../domain/credentials/session.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { Principal } from '../services/request-meta.js';

/** The caller's live sessions (devices), newest first, marking the current one. */
export class ListSessions {
  constructor(private readonly deps: { sessions: SessionRepository; clock: Clock }) {}

  async execute(principal: Principal): Promise<{ session: Session; current: boolean }[]> {
    const sessions = await this.deps.sessions.listActiveByUser(principal.userId, this.deps.clock.now());
    return sessions.map((session) => ({ session, current: session.id === principal.sessionId }));
  }
}
