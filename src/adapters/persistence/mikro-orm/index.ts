import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Persistence } from '../../../application/ports/persistence.port.js';
import { MikroOrmAccessSnapshotReader } from './access-snapshot-reader.js';
import { MikroOrmAuditLog } from './audit-log.js';
import { MikroOrmBillingCheckoutRepository } from './billing-checkout-repository.js';
import { MikroOrmBillingEventLedger } from './billing-event-ledger.js';
import { MikroOrmCustomRoleRepository } from './custom-role-repository.js';
import { MikroOrmEntityGrantRepository } from './entity-grant-repository.js';
import { MikroOrmEntityRepository } from './entity-repository.js';
import { MikroOrmIdentityEventLedger } from './identity-event-ledger.js';
import { MikroOrmIdentityLinkRepository } from './identity-link-repository.js';
import { MikroOrmMembershipRepository } from './membership-repository.js';
import { MikroOrmOnboardingRepository } from './onboarding-repository.js';
import { MikroOrmOneTimeTokenRepository } from './one-time-token-repository.js';
import { MikroOrmOrganizationRepository } from './organization-repository.js';
import { MikroOrmOutboxRepository } from './outbox-repository.js';
import { MikroOrmRecoveryCodeRepository } from './recovery-code-repository.js';
import { MikroOrmSessionRepository } from './session-repository.js';
import { MikroOrmSigningKeyRepository } from './signing-key-repository.js';
import { MikroOrmTotpFactorRepository } from './totp-factor-repository.js';
import { TransactionScope } from './transaction-scope.js';
import { MikroOrmUserRepository } from './user-repository.js';

export { entities } from './schema/index.js';

/** The MikroORM persistence, plus the transaction it is in for other clients of the same database. */
export interface MikroOrmPersistence extends Persistence {
  /**
   * The EntityManager of the current unit of work (inside `uow.run`), else a fresh fork. For
   * writes that must commit with the unit of work, e.g. a pg-boss job:
   * `boss.send(name, data, { db: fromKysely(entityManager().getTransactionContext()) })`.
   */
  entityManager(): EntityManager;
}

/**
 * Every repository over one MikroORM instance (PostgreSQL or embedded PGlite), sharing one
 * unit of work. The ORM must have been configured with `entities` and migrated.
 */
export function createMikroOrmPersistence(orm: MikroORM): MikroOrmPersistence {
  const scope = new TransactionScope(orm);
  return {
    orgs: new MikroOrmOrganizationRepository(scope),
    users: new MikroOrmUserRepository(scope),
    memberships: new MikroOrmMembershipRepository(scope),
    entities: new MikroOrmEntityRepository(scope),
    customRoles: new MikroOrmCustomRoleRepository(scope),
    entityGrants: new MikroOrmEntityGrantRepository(scope),
    accessSnapshots: new MikroOrmAccessSnapshotReader(scope),
    sessions: new MikroOrmSessionRepository(scope),
    oneTimeTokens: new MikroOrmOneTimeTokenRepository(scope),
    signingKeys: new MikroOrmSigningKeyRepository(scope),
    totpFactors: new MikroOrmTotpFactorRepository(scope),
    recoveryCodes: new MikroOrmRecoveryCodeRepository(scope),
    audit: new MikroOrmAuditLog(scope),
    outbox: new MikroOrmOutboxRepository(scope),
    billingEvents: new MikroOrmBillingEventLedger(scope),
    billingCheckouts: new MikroOrmBillingCheckoutRepository(scope),
    onboarding: new MikroOrmOnboardingRepository(scope),
    identityLinks: new MikroOrmIdentityLinkRepository(scope),
    identityEvents: new MikroOrmIdentityEventLedger(scope),
    uow: scope,
    entityManager: () => scope.em(),
    async ping() {
      try {
        await orm.em.fork().execute('select 1');
        return true;
      } catch {
        return false;
      }
    },
  };
}
