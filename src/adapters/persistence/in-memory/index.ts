/**
 * In-memory persistence: the same contract as PostgreSQL (the contract suites in
 * test/contracts run against both), for use-case tests and local experiments. The
 * composition root refuses it in production.
 *
 * What it models: private copies (a returned object changes nothing until `save`), optimistic
 * versions (CONCURRENT_MODIFICATION), the unique and foreign-key constraints of the migrations
 * with the same error codes, ON DELETE CASCADE / SET NULL, atomic single-use consumption and
 * refresh rotation, and a unit of work with rollback (a snapshot restored when `work` throws).
 *
 * What it does not model:
 * - Concurrency: transactions and single statements are serialized by one async mutex, so there
 *   are no isolation anomalies, deadlocks or lock waits — and no parallelism. Awaiting, inside
 *   `uow.run`, a promise that was started outside of it and touches the store deadlocks.
 * - Statement atomicity inside a transaction: a failed statement changes nothing, and the
 *   transaction goes on (PostgreSQL behaves the same here only because the MikroORM adapter
 *   wraps such writes in savepoints).
 * - CHECK constraints and column types: TypeScript's types stand in for them. Timestamps keep
 *   millisecond precision (so does PostgreSQL, given JavaScript dates).
 * - Durability, size limits, collation other than bytewise ordering of ids, and `lock` (a no-op:
 *   transactions are serialized already).
 */
import type { Persistence } from '../../../application/ports/persistence.port.js';
import { InMemoryAccessSnapshotReader } from './access-snapshot-reader.js';
import { InMemoryAuditLog } from './audit-log.js';
import { InMemoryBillingCheckoutRepository } from './billing-checkout-repository.js';
import { InMemoryBillingEventLedger } from './billing-event-ledger.js';
import { InMemoryCustomRoleRepository } from './custom-role-repository.js';
import { InMemoryEntityGrantRepository } from './entity-grant-repository.js';
import { InMemoryEntityRepository } from './entity-repository.js';
import { InMemoryIdentityEventLedger } from './identity-event-ledger.js';
import { InMemoryIdentityLinkRepository } from './identity-link-repository.js';
import { InMemoryStore } from './in-memory-store.js';
import { InMemoryMembershipRepository } from './membership-repository.js';
import { InMemoryOnboardingRepository } from './onboarding-repository.js';
import { InMemoryOneTimeTokenRepository } from './one-time-token-repository.js';
import { InMemoryOrganizationRepository } from './organization-repository.js';
import { InMemoryOutboxRepository } from './outbox-repository.js';
import { InMemoryRecoveryCodeRepository } from './recovery-code-repository.js';
import { InMemorySessionRepository } from './session-repository.js';
import { InMemorySigningKeyRepository } from './signing-key-repository.js';
import { InMemoryTotpFactorRepository } from './totp-factor-repository.js';
import { InMemoryUserRepository } from './user-repository.js';

/** A fresh, empty in-memory store with every repository and its unit of work. */
export function createInMemoryPersistence(): Persistence {
  const store = new InMemoryStore();
  return {
    orgs: new InMemoryOrganizationRepository(store),
    users: new InMemoryUserRepository(store),
    memberships: new InMemoryMembershipRepository(store),
    entities: new InMemoryEntityRepository(store),
    customRoles: new InMemoryCustomRoleRepository(store),
    entityGrants: new InMemoryEntityGrantRepository(store),
    accessSnapshots: new InMemoryAccessSnapshotReader(store),
    sessions: new InMemorySessionRepository(store),
    oneTimeTokens: new InMemoryOneTimeTokenRepository(store),
    signingKeys: new InMemorySigningKeyRepository(store),
    totpFactors: new InMemoryTotpFactorRepository(store),
    recoveryCodes: new InMemoryRecoveryCodeRepository(store),
    audit: new InMemoryAuditLog(store),
    outbox: new InMemoryOutboxRepository(store),
    billingEvents: new InMemoryBillingEventLedger(store),
    billingCheckouts: new InMemoryBillingCheckoutRepository(store),
    onboarding: new InMemoryOnboardingRepository(store),
    identityLinks: new InMemoryIdentityLinkRepository(store),
    identityEvents: new InMemoryIdentityEventLedger(store),
    uow: store,
    ping: async () => true,
  };
}
