import { randomUUID } from 'node:crypto';
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
import { StytchEmulator } from '../fakes/stytch-emulator.js';
import { externalMember, externalOrganization } from '../../src/adapters/identity/stytch/stytch-objects.js';
import type { StytchMirror } from '../../src/adapters/identity/stytch/stytch-identity-provider.js';
import type { IdentityLinkRepository } from '../../src/application/ports/identity-link-repository.port.js';

/** The built-in provider, wired by the real composition root over a given store. */
async function builtin(make: () => Promise<{ persistence: Persistence; cleanup(): Promise<void> }>): Promise<IdentityHarness> {
  const { persistence, cleanup } = await make();
  const clock = new TestClock();
  const config = loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_PARAMS: 'test_only_n10r8p1', LOG_LEVEL: 'silent' });
  const gatehouse = await createGatehouse({ config, logger: pino({ level: 'silent' }), persistence, clock });
  const provider = gatehouse.container.get<IdentityProvider>(T.IdentityProvider);
  const mailTemplate = { verification: 'verification', activation: 'activation', password_reset: 'password_reset', magic_link: 'magic_link', invitation: 'invitation', account_exists: 'account_exists' } as const;
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
    async scope() {
      return { tenantId: null, providerSession: null };
    },
    async totp(secret) {
      return clock.totp(secret);
    },
    async close() {
      await gatehouse.close();
      await cleanup();
    },
  };
}

identityProviderContract('builtin, in-memory store', () => builtin(async () => ({ persistence: createInMemoryPersistence(), cleanup: async () => undefined })));
identityProviderContract(`builtin, ${postgresLabel()}`, () => builtin(postgresPersistence));

/**
 * The Stytch provider over the emulator (the real `stytch` SDK on 127.0.0.1), wired by the real
 * composition root. Seeding happens on the Stytch side, as an admin would in Stytch's dashboard;
 * the local mirror learns about people through the provider, as in production.
 */
async function stytch(make: () => Promise<{ persistence: Persistence; cleanup(): Promise<void> }>): Promise<IdentityHarness> {
  const { persistence, cleanup } = await make();
  const clock = new TestClock();
  const emulator = await StytchEmulator.start({ now: () => clock.now() });
  const config = loadConfig({
    NODE_ENV: 'test',
    PASSWORD_HASH_PARAMS: 'test_only_n10r8p1',
    LOG_LEVEL: 'silent',
    ...emulator.gatehouseEnv('whsec_Y29udHJhY3QtdGVzdC1zZWNyZXQtMDEyMzQ1Njc4OQ=='),
  });
  const gatehouse = await createGatehouse({ config, logger: pino({ level: 'silent' }), persistence, clock });
  const provider = gatehouse.container.get<IdentityProvider>(T.IdentityProvider);
  const mirror = gatehouse.container.get<StytchMirror>(T.IdentityMirror);
  const roleOf = gatehouse.container.get<(ids: readonly string[]) => 'admin' | 'manager' | 'member' | 'viewer'>(T.StytchRoleOf);
  const links: IdentityLinkRepository = persistence.identityLinks;
  const seedOrg = () => {
    const slug = `org-${randomUUID().slice(0, 8)}`;
    return emulator.seedOrganization({ name: 'Contract Org', slug });
  };
  return {
    provider,
    clock,
    async seedUser(email, password) {
      const org = seedOrg();
      emulator.seedMember(org.organization_id, { email, password, emailVerified: true });
      // The first sign-in mirrors the member locally, as it would in production.
      return (await provider.verifyPassword(email, password)).userId;
    },
    async seedInvited(email) {
      const org = seedOrg();
      const member = emulator.seedMember(org.organization_id, { email, status: 'invited' });
      const synced = await mirror.syncMember(externalMember(member, roleOf), externalOrganization(org));
      return { userId: synced.user.id, tenantId: synced.organization.id };
    },
    async lastLinkToken(email, kind) {
      if (kind === 'magic_link') return emulator.lastMagicLinkToken(email);
      if (kind === 'password_reset') return emulator.lastPasswordResetToken(email);
      return null; // Stytch sends no verification or activation mail of Gatehouse's
    },
    async scope(userId) {
      const memberships = await persistence.memberships.listByUser(userId);
      const linked = await Promise.all(memberships.map(async (m) => ((await links.findByLocal('member', m.id)) ? m.tenantId : null)));
      return { tenantId: linked.find((t) => t !== null) ?? null, providerSession: null };
    },
    async totp(secret) {
      return clock.totp(secret);
    },
    async close() {
      await gatehouse.close();
      await emulator.stop();
      await cleanup();
    },
  };
}

identityProviderContract('stytch over its emulator, in-memory store', () => stytch(async () => ({ persistence: createInMemoryPersistence(), cleanup: async () => undefined })));
identityProviderContract(`stytch over its emulator, ${postgresLabel()}`, () => stytch(postgresPersistence));
