import { describe, expect, it } from 'vitest';
import { InProcessInvalidationBus } from '../../src/adapters/cache/in-process-invalidation-bus.js';
import { createInMemoryPersistence } from '../../src/adapters/persistence/in-memory/index.js';
import type { AccessTokenService, VerifiedAccessToken } from '../../src/application/ports/access-token-service.port.js';
import type { ExternalSessionClaims, ExternalSessionVerifier } from '../../src/application/ports/external-session-verifier.port.js';
import type { ExternalMember, ExternalOrganization } from '../../src/application/ports/identity-directory.port.js';
import { AuditRecorder } from '../../src/application/services/audit-recorder.js';
import { ExternalMemberResolver } from '../../src/application/services/external-member-resolver.js';
import { IdentityMirror } from '../../src/application/services/identity-mirror.js';
import { AuthenticateRequest } from '../../src/application/use-cases/authenticate-request.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import { TestClock } from '../support/test-clock.js';

const ORG: ExternalOrganization = { externalId: 'organization-test-acme', name: 'Acme', slug: 'acme', mfaRequired: false, emailAllowedDomains: [], updatedAt: new Date('2030-01-01T00:00:00Z') };
const ADA: ExternalMember = {
  externalId: 'member-test-ada',
  externalOrganizationId: ORG.externalId,
  email: 'ada@acme.test',
  name: 'Ada',
  role: 'admin',
  status: 'active',
  emailVerified: true,
  updatedAt: new Date('2030-01-01T00:00:00Z'),
};

/**
 * The provider side as the port describes it: tokens `ext.<member>` are "verified" into claims,
 * and the directory answers fetchMember. What is under test is AuthenticateRequest and the
 * resolver over the real mirror and the in-memory store; the Stytch adapter has its own tests.
 */
class ProviderDouble implements ExternalSessionVerifier {
  readonly provider = 'stytch';
  readonly directory = new Map<string, { member: ExternalMember; organization: ExternalOrganization }>();
  fetches = 0;
  verifies = 0;

  recognizes(bearer: string): boolean {
    return bearer.startsWith('ext.');
  }

  async verify(bearer: string): Promise<ExternalSessionClaims> {
    this.verifies++;
    const [, memberId = '', orgId = ORG.externalId] = bearer.split('.');
    if (memberId === 'forged') throw new DomainError('AUTH_TOKEN_INVALID', 'bad');
    return { sessionId: `session-${memberId}`, externalMemberId: memberId, externalOrganizationId: orgId, amr: ['pwd'], expiresAt: new Date('2030-01-01T00:05:00Z') };
  }

  async fetchMember(externalOrganizationId: string, externalMemberId: string): Promise<{ member: ExternalMember; organization: ExternalOrganization }> {
    this.fetches++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const found = this.directory.get(externalMemberId);
    if (!found || found.organization.externalId !== externalOrganizationId) throw new DomainError('AUTH_SESSION_REVOKED', 'gone');
    return found;
  }
}

function world() {
  const p = createInMemoryPersistence();
  const clock = new TestClock(new Date('2030-01-01T00:01:00Z'));
  const bus = new InProcessInvalidationBus();
  const mirror = new IdentityMirror({ orgs: p.orgs, users: p.users, memberships: p.memberships, sessions: p.sessions, links: p.identityLinks, uow: p.uow, bus, audit: new AuditRecorder({ audit: p.audit, clock }), clock });
  const provider = new ProviderDouble();
  provider.directory.set(ADA.externalId, { member: ADA, organization: ORG });
  const gatehouseTokens: string[] = [];
  const tokens: AccessTokenService = {
    issue: async () => {
      throw new Error('not used');
    },
    verify: async (token): Promise<VerifiedAccessToken> => {
      gatehouseTokens.push(token);
      return { sub: 'user-1', org: null, member: null, roles: [], sid: 'sid-1', amr: ['pwd'], jti: 'j', exp: 0 };
    },
    jwks: async () => ({ keys: [] }),
    rotate: async () => ({ kid: 'k' }),
  };
  const members = new ExternalMemberResolver({ links: p.identityLinks, memberships: p.memberships, provider, mirror, bus, clock });
  const authenticate = new AuthenticateRequest({ tokens, sessions: { isLive: async () => true }, clock, external: { verifier: provider, members } });
  return { p, clock, mirror, provider, authenticate, gatehouseTokens };
}

describe('AuthenticateRequest with an external session (Stytch JWT)', () => {
  it('mirrors an unknown member just in time, then builds the Principal from the local membership', async () => {
    const w = world();
    const principal = await w.authenticate.execute('ext.member-test-ada');
    const org = await w.p.orgs.findBySlug('acme');
    const user = await w.p.users.findByEmail('ada@acme.test');
    expect(org && user).toBeTruthy();
    const membership = await w.p.memberships.findByUser(org!.id, user!.id);
    expect(principal).toEqual({ userId: user!.id, tenantId: org!.id, membershipId: membership!.id, roles: ['admin'], amr: ['pwd'], sessionId: 'stytch:session-member-test-ada' });
    expect(w.provider.fetches).toBe(1);

    await w.authenticate.execute('ext.member-test-ada');
    expect(w.provider.fetches).toBe(1);
    expect(w.gatehouseTokens).toEqual([]);
  });

  it('concurrent first requests of one member share one fetch and one sync', async () => {
    const w = world();
    const principals = await Promise.all(Array.from({ length: 8 }, () => w.authenticate.execute('ext.member-test-ada')));
    expect(new Set(principals.map((p) => p.membershipId)).size).toBe(1);
    expect(w.provider.fetches).toBe(1);
  });

  it('a member removed from the mirror is refused at once (AUTH_SESSION_REVOKED), not re-synced from the token', async () => {
    const w = world();
    await w.authenticate.execute('ext.member-test-ada');
    await w.mirror.removeMember(ADA.externalId, new Date('2030-01-01T00:02:00Z'));
    await expect(w.authenticate.execute('ext.member-test-ada')).rejects.toMatchObject({ code: 'AUTH_SESSION_REVOKED' });
    expect(w.provider.fetches).toBe(1);
  });

  it('a role changed in the mirror shows on the next request (the cached member is dropped by the access invalidation)', async () => {
    const w = world();
    expect((await w.authenticate.execute('ext.member-test-ada')).roles).toEqual(['admin']);
    await w.mirror.syncMember({ ...ADA, role: 'viewer', updatedAt: new Date('2030-01-01T00:03:00Z') });
    expect((await w.authenticate.execute('ext.member-test-ada')).roles).toEqual(['viewer']);
  });

  it('an organization deleted at the provider ends its members’ external sessions', async () => {
    const w = world();
    await w.authenticate.execute('ext.member-test-ada');
    await w.mirror.removeOrganization(ORG.externalId, new Date('2030-01-01T00:02:00Z'));
    await expect(w.authenticate.execute('ext.member-test-ada')).rejects.toMatchObject({ code: 'AUTH_SESSION_REVOKED' });
    // A member of the deleted organization the mirror never saw is not fetched, let alone mirrored.
    w.provider.directory.set('member-test-bo', { member: { ...ADA, externalId: 'member-test-bo', email: 'bo@acme.test' }, organization: ORG });
    await expect(w.authenticate.execute('ext.member-test-bo')).rejects.toMatchObject({ code: 'AUTH_SESSION_REVOKED' });
    expect(w.provider.fetches).toBe(1);
  });

  it('refuses, without mirroring anything, a member the provider no longer has, has removed, or who belongs to another organization than the token says', async () => {
    const w = world();
    await expect(w.authenticate.execute('ext.member-test-nobody')).rejects.toMatchObject({ code: 'AUTH_SESSION_REVOKED' });
    w.provider.directory.set('member-test-gone', { member: { ...ADA, externalId: 'member-test-gone', email: 'gone@acme.test', status: 'removed' }, organization: ORG });
    await expect(w.authenticate.execute('ext.member-test-gone')).rejects.toMatchObject({ code: 'AUTH_SESSION_REVOKED' });
    const other: ExternalOrganization = { ...ORG, externalId: 'organization-test-other', slug: 'other' };
    w.provider.directory.set('member-test-eve', { member: { ...ADA, externalId: 'member-test-eve', email: 'eve@acme.test' }, organization: other });
    // The directory answers for organization-test-other, but the member record says ORG: refused.
    await expect(w.authenticate.execute('ext.member-test-eve.organization-test-other')).rejects.toMatchObject({ code: 'AUTH_SESSION_REVOKED' });
    expect(await w.p.orgs.findBySlug('acme')).toBeNull();
    expect(await w.p.users.findByEmail('gone@acme.test')).toBeNull();
  });

  it('a token the verifier refuses never reaches the mirror', async () => {
    const w = world();
    await expect(w.authenticate.execute('ext.forged')).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    expect(w.provider.fetches).toBe(0);
  });

  it('Gatehouse tokens take the usual path: the external verifier only looks at the shape', async () => {
    const w = world();
    const principal = await w.authenticate.execute('gatehouse-token');
    expect(principal.sessionId).toBe('sid-1');
    expect(w.gatehouseTokens).toEqual(['gatehouse-token']);
    expect(w.provider.verifies).toBe(0);
  });
});
