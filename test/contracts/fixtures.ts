import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import type { AuditEvent } from '../../src/domain/audit/audit-event.js';
import type { OneTimeToken, OneTimeTokenPurpose } from '../../src/domain/credentials/one-time-token.js';
import { Session, type SessionLifetimes } from '../../src/domain/credentials/session.js';
import { addSeconds } from '../../src/domain/shared/clock.js';
import { type ErrorCode, isDomainError } from '../../src/domain/shared/domain-error.js';
import { Entity } from '../../src/domain/tenancy/entity.js';
import { Membership } from '../../src/domain/tenancy/membership.js';
import { Organization } from '../../src/domain/tenancy/organization.js';
import type { SystemRole } from '../../src/domain/tenancy/system-role.js';
import { User } from '../../src/domain/tenancy/user.js';

/** Builds one store for a suite; tests share it and make their own uniquely named rows. */
export type PersistenceFactory = () => Promise<{ persistence: Persistence; cleanup(): Promise<void> }>;

/** A contract suite: registers its tests under `name` against the factory's adapter. */
export type ContractSuite = (name: string, makePersistence: PersistenceFactory) => void;

/** An instant all tests start from; far from the wall clock, nothing here reads it. */
export const T0 = new Date('2030-01-01T00:00:00.000Z');

export const LIFETIMES: SessionLifetimes = { idleTimeoutSeconds: 3600, absoluteLifetimeSeconds: 86_400 };

export function at(seconds: number): Date {
  return addSeconds(T0, seconds);
}

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export function newOrganization(now = T0): Organization {
  return Organization.create({ id: randomUUID(), slug: unique('org'), name: 'Acme Boats', now });
}

export function newUser(now = T0): User {
  return User.create({ id: randomUUID(), email: `${unique('user')}@example.test`, name: 'Ada', now });
}

export function newMembership(org: Organization, user: User, role: SystemRole = 'member', now = T0): Membership {
  return Membership.create({ id: randomUUID(), tenantId: org.id, userId: user.id, role, now });
}

export function newEntity(org: Organization, input: { externalId?: string | null; type?: string; now?: Date } = {}): Entity {
  return Entity.create({ id: randomUUID(), tenantId: org.id, type: input.type ?? 'boat', name: 'Sea Breeze', externalId: input.externalId ?? null, now: input.now ?? T0 });
}

export function newSession(user: User, input: { org?: Organization; membership?: Membership; now?: Date } = {}): Session {
  return Session.start({
    id: randomUUID(),
    userId: user.id,
    tenantId: input.org?.id ?? null,
    membershipId: input.membership?.id ?? null,
    amr: ['pwd'],
    userAgent: 'vitest',
    ip: '127.0.0.1',
    now: input.now ?? T0,
    lifetimes: LIFETIMES,
  });
}

export function newTokenHash(): string {
  return randomBytes(32).toString('hex');
}

export function newOneTimeToken(input: { purpose?: OneTimeTokenPurpose; expiresAt?: Date; userId?: string | null; tenantId?: string | null } = {}): OneTimeToken {
  return {
    id: randomUUID(),
    purpose: input.purpose ?? 'magic_link',
    tokenHash: newTokenHash(),
    userId: input.userId ?? null,
    email: 'ada@example.test',
    tenantId: input.tenantId ?? null,
    payload: { redirect: '/home', attempt: 1, remember: true, note: null },
    createdAt: T0,
    expiresAt: input.expiresAt ?? at(600),
    consumedAt: null,
  };
}

export function newAuditEvent(tenantId: string | null, input: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    tenantId,
    actorUserId: null,
    action: 'auth.login.succeeded',
    outcome: 'success',
    targetType: null,
    targetId: null,
    ip: '127.0.0.1',
    userAgent: 'vitest',
    metadata: { method: 'password' },
    occurredAt: T0,
    ...input,
  };
}

/** Stores an organization and a user with a membership in it. */
export async function seedMember(p: Persistence, role: SystemRole = 'member') {
  const org = newOrganization();
  const user = newUser();
  await p.orgs.save(org);
  await p.users.save(user);
  const membership = newMembership(org, user, role);
  await p.memberships.save(membership);
  return { org, user, membership };
}

/** Asserts that `promise` rejects with a DomainError of this code (never the message). */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isDomainError(error) ? error.code : error).toBe(code);
}

/** Retries `attempt` while it fails with CONCURRENT_MODIFICATION, as a careful caller does. */
export async function retryOnConflict(attempt: () => Promise<void>, maxAttempts = 200): Promise<number> {
  for (let tries = 1; ; tries++) {
    try {
      await attempt();
      return tries;
    } catch (error) {
      if (!isDomainError(error, 'CONCURRENT_MODIFICATION') || tries >= maxAttempts) throw error;
    }
  }
}

/** Opens the suite's store before its tests and disposes of it after; returns its accessor. */
export function useStore(makePersistence: PersistenceFactory): () => Persistence {
  let store: Awaited<ReturnType<PersistenceFactory>> | undefined;
  beforeAll(async () => {
    store = await makePersistence();
  });
  afterAll(async () => {
    await store?.cleanup();
  });
  return () => {
    if (!store) throw new Error('The store is not open yet');
    return store.persistence;
  };
}
