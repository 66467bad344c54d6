import { randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import { pino } from 'pino';
import type { IdentityProvider } from '../../src/application/ports/identity-provider.port.js';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import { Membership } from '../../src/domain/tenancy/membership.js';
import { Organization } from '../../src/domain/tenancy/organization.js';
import { User } from '../../src/domain/tenancy/user.js';
import { loadConfig } from '../../src/infrastructure/config/load-config.js';
import { T } from '../../src/infrastructure/di/tokens.js';
import { createGatehouse } from '../../src/infrastructure/server/gatehouse.js';
import { TestClock } from '../support/test-clock.js';
import { postgresLabel, postgresPersistence } from '../support/test-database.js';
import { type IdentityHarness, identityProviderContract } from './identity-provider.contract.js';

/** The built-in provider, wired by the real composition root over a given store. */
async function builtin(make: () => Promise<{ persistence: Persistence; cleanup(): Promise<void> }>): Promise<IdentityHarness> {
  const { persistence, cleanup } = await make();
  const clock = new TestClock();
  const config = loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_PARAMS: 'test_only_n10r8p1', LOG_LEVEL: 'silent' });
  const gatehouse = await createGatehouse({ config, logger: pino({ level: 'silent' }), persistence, clock });
  const provider = gatehouse.container.get<IdentityProvider>(T.IdentityProvider);
  const mailTemplate = { verification: 'verification', activation: 'activation', password_reset: 'password_reset', magic_link: 'magic_link' } as const;
  return {
    provider,
    clock,
    async seedUser(email, password) {
      const user = User.create({ id: randomUUID(), email, now: clock.now() });
      await persistence.users.save(user);
      await provider.setPassword(user.id, password);
      return user.id;
    },
    async seedInvited(email) {
      const now = clock.now();
      const org = Organization.create({ id: randomUUID(), slug: `org-${randomUUID().slice(0, 8)}`, name: 'Contract Org', now });
      const user = User.create({ id: randomUUID(), email, status: 'invited', now });
      await persistence.orgs.save(org);
      await persistence.users.save(user);
      await persistence.memberships.save(Membership.create({ id: randomUUID(), tenantId: org.id, userId: user.id, role: 'member', status: 'invited', now }));
      await provider.startActivation(user.id, org.id);
      return { userId: user.id, tenantId: org.id };
    },
    async lastLinkToken(email, kind) {
      const mail = (await persistence.outbox.listRecent(email)).find((m) => m.template === mailTemplate[kind]);
      return mail ? new URL(mail.data['link']!).searchParams.get('token') : null;
    },
    async totp(secret) {
      return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    },
    async close() {
      await gatehouse.close();
      await cleanup();
    },
  };
}

identityProviderContract('builtin, in-memory store', () => builtin(async () => ({ persistence: createInMemoryPersistence(), cleanup: async () => undefined })));
identityProviderContract(`builtin, ${postgresLabel()}`, () => builtin(postgresPersistence));
