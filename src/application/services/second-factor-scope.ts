import type { SecondFactorScope } from '../ports/second-factor-authority.port.js';
import type { SessionRepository } from '../ports/session-repository.port.js';
import type { Principal } from './request-meta.js';

/**
 * Where a signed-in caller's second factors live: the organization of the session and the
 * provider session it is bound to (Stytch keeps factors per member of an organization).
 */
export async function secondFactorScopeOf(principal: Principal, sessions: Pick<SessionRepository, 'findById'>): Promise<SecondFactorScope> {
  const session = await sessions.findById(principal.sessionId);
  return { tenantId: principal.tenantId, providerSession: session?.providerSession ?? null };
}
