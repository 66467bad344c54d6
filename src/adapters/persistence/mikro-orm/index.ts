import type { MikroORM } from '@mikro-orm/postgresql';
import type { Persistence } from '../../../application/ports/persistence.port.js';
import { MikroOrmAuditLog } from './audit-log.js';
import { MikroOrmEntityRepository } from './entity-repository.js';
import { MikroOrmMembershipRepository } from './membership-repository.js';
import { MikroOrmOneTimeTokenRepository } from './one-time-token-repository.js';
import { MikroOrmOrganizationRepository } from './organization-repository.js';
import { MikroOrmSessionRepository } from './session-repository.js';
import { MikroOrmSigningKeyRepository } from './signing-key-repository.js';
import { TransactionScope } from './transaction-scope.js';
import { MikroOrmUserRepository } from './user-repository.js';

export { entities } from './schema/index.js';

/**
 * Every repository over one MikroORM instance (PostgreSQL or embedded PGlite), sharing one
 * unit of work. The ORM must have been configured with `entities` and migrated.
 */
export function createMikroOrmPersistence(orm: MikroORM): Persistence {
  const scope = new TransactionScope(orm);
  return {
    orgs: new MikroOrmOrganizationRepository(scope),
    users: new MikroOrmUserRepository(scope),
    memberships: new MikroOrmMembershipRepository(scope),
    entities: new MikroOrmEntityRepository(scope),
    sessions: new MikroOrmSessionRepository(scope),
    oneTimeTokens: new MikroOrmOneTimeTokenRepository(scope),
    signingKeys: new MikroOrmSigningKeyRepository(scope),
    audit: new MikroOrmAuditLog(scope),
    uow: scope,
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
