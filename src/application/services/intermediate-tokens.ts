import { randomUUID } from 'node:crypto';
import { addSeconds, type Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { User } from '../../domain/tenancy/user.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import type { UserRepository } from '../ports/user-repository.port.js';
import { hashOpaqueToken, newOpaqueToken } from '../security/opaque-token.js';

/*
 * The intermediate token: what a person holds between a first factor and an organization. It records
 * the user, the factors used (RFC 8176 values, space-separated) and the identity provider's handle of the
 * sign-in it continues (Stytch). It is read freely while it lives and spent once, on the choice it is for.
 */

type Deps = { oneTimeTokens: OneTimeTokenRepository; clock: Clock };

/** A sign-in waiting for its organization. */
export interface PendingSignIn {
  user: User;
  amr: string[];
  providerSession: string | null;
}

/** Issues an intermediate token for `user`, valid `ttlSeconds`; returns the secret to hand over. */
export async function issueIntermediateToken(deps: Deps, user: User, amr: readonly string[], providerSession: string | null, ttlSeconds: number): Promise<string> {
  const now = deps.clock.now();
  const secret = newOpaqueToken();
  await deps.oneTimeTokens.create({
    id: randomUUID(),
    purpose: 'intermediate_session',
    tokenHash: secret.hash,
    userId: user.id,
    email: user.email,
    tenantId: null,
    payload: { amr: amr.join(' '), ...(providerSession ? { ps: providerSession } : {}) },
    createdAt: now,
    expiresAt: addSeconds(now, ttlSeconds),
    consumedAt: null,
  });
  return secret.token;
}

/** The sign-in an unspent, unexpired intermediate token continues, without spending it; INTERMEDIATE_TOKEN_INVALID otherwise. */
export async function readIntermediateToken(deps: Deps & { users: UserRepository }, intermediateToken: string): Promise<PendingSignIn> {
  const token = await deps.oneTimeTokens.peek('intermediate_session', hashOpaqueToken(intermediateToken), deps.clock.now());
  const user = token?.userId ? await deps.users.findById(token.userId) : null;
  if (!token || !user?.canSignIn) throw expired();
  const { amr, ps } = token.payload;
  return { user, amr: String(amr ?? '').split(' ').filter(Boolean), providerSession: typeof ps === 'string' ? ps : null };
}

/**
 * Spends an intermediate token, once the choice it is spent on checked out: a refused choice leaves it
 * for another. Atomic: of two concurrent spends, or a spend and a sign-out that ended the token, one wins;
 * the others get INTERMEDIATE_TOKEN_INVALID.
 */
export async function spendIntermediateToken(deps: Deps, intermediateToken: string): Promise<void> {
  if (!(await deps.oneTimeTokens.consume('intermediate_session', hashOpaqueToken(intermediateToken), deps.clock.now()))) throw expired();
}

function expired(): DomainError {
  return new DomainError('INTERMEDIATE_TOKEN_INVALID', 'This sign-in has expired; start again');
}
