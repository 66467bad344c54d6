import { inMemoryPersistence, pglitePersistence, postgresLabel, postgresPersistence } from '../support/test-database.js';
import { auditLogContract } from './audit-log.contract.js';
import { billingPersistenceContract } from './billing-persistence.contract.js';
import { customRoleRepositoryContract } from './custom-role-repository.contract.js';
import { entityGrantRepositoryContract } from './entity-grant-repository.contract.js';
import { entityRepositoryContract } from './entity-repository.contract.js';
import type { ContractSuite, PersistenceFactory } from './fixtures.js';
import { identityLinksContract } from './identity-links.contract.js';
import { membershipRepositoryContract } from './membership-repository.contract.js';
import { oneTimeTokenAttemptsContract } from './one-time-token-attempts.contract.js';
import { oneTimeTokenRepositoryContract } from './one-time-token-repository.contract.js';
import { organizationRepositoryContract } from './organization-repository.contract.js';
import { outboxRepositoryContract } from './outbox-repository.contract.js';
import { secondFactorRepositoriesContract } from './second-factor-repositories.contract.js';
import { sessionRepositoryContract } from './session-repository.contract.js';
import { signingKeyRepositoryContract } from './signing-key-repository.contract.js';
import { unitOfWorkContract } from './unit-of-work.contract.js';
import { userRepositoryContract } from './user-repository.contract.js';

/** Every persistence port's contract, against every adapter. */
const suites: ContractSuite[] = [
  organizationRepositoryContract,
  userRepositoryContract,
  membershipRepositoryContract,
  entityRepositoryContract,
  customRoleRepositoryContract,
  entityGrantRepositoryContract,
  sessionRepositoryContract,
  oneTimeTokenRepositoryContract,
  oneTimeTokenAttemptsContract,
  secondFactorRepositoriesContract,
  signingKeyRepositoryContract,
  auditLogContract,
  outboxRepositoryContract,
  billingPersistenceContract,
  identityLinksContract,
  unitOfWorkContract,
];

const adapters: [name: string, make: PersistenceFactory][] = [
  ['in-memory', inMemoryPersistence],
  [postgresLabel(), postgresPersistence],
  ['PGlite', pglitePersistence],
];

for (const [name, make] of adapters) {
  for (const suite of suites) suite(name, make);
}
