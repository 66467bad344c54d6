import { randomUUID } from 'node:crypto';
import type { B2BClient } from 'stytch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStytchClient } from '../../../src/adapters/identity/stytch/stytch-client.js';
import { StytchDirectory } from '../../../src/adapters/identity/stytch/stytch-directory.js';
import { parseRoleMap } from '../../../src/adapters/identity/stytch/stytch-role-map.js';
import { createInMemoryPersistence } from '../../../src/adapters/persistence/in-memory/index.js';
import type { Persistence } from '../../../src/application/ports/persistence.port.js';
import { linkAddedMember, linkCreatedOrganization } from '../../../src/application/services/provider-first-write.js';
import { Organization } from '../../../src/domain/tenancy/organization.js';
import { StytchEmulator } from '../../fakes/stytch-emulator.js';

/** `viewer` has no Stytch role here: every Stytch member holds `stytch_member`, which maps to `member`. */
const ROLE_MAP = parseRoleMap('stytch_admin=admin,gatehouse_manager=manager,stytch_member=member');

let emulator: StytchEmulator;
let client: B2BClient;
let p: Persistence;
let directory: StytchDirectory;

beforeAll(async () => {
  emulator = await StytchEmulator.start();
  client = createStytchClient({ projectId: emulator.projectId, secret: emulator.secret, apiUrl: emulator.url, timeoutMs: 2000 });
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => {
  emulator.reset();
  p = createInMemoryPersistence();
  directory = new StytchDirectory({ client, links: p.identityLinks, roleMap: ROLE_MAP });
});

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
/** Calls to the emulator made after `mark` (an index into emulator.requests). */
const since = (mark: number) => emulator.requests.slice(mark).map((r) => `${r.method} ${r.path}`);
const roleIds = (member: { roles: Array<{ role_id: string }> } | null) => member?.roles.map((r) => r.role_id).sort() ?? null;

async function localOrganization(slug = unique('acme')): Promise<Organization> {
  const org = Organization.create({ id: randomUUID(), slug, name: 'Acme Boats', now: new Date() });
  await p.orgs.save(org);
  return org;
}

/** An organization created through the directory and linked as the use case links it. */
async function linkedOrganization() {
  const org = await localOrganization();
  const created = await directory.createOrganization({ id: org.id, name: org.name, slug: org.slug }, { userId: randomUUID(), email: `${unique('ada')}@acme.test`, name: 'Ada' });
  const adminMembershipId = randomUUID();
  await linkCreatedOrganization(p.identityLinks, { tenantId: org.id, membershipId: adminMembershipId }, created);
  return { org, created, organizationId: created.organization.externalId, adminMembershipId };
}

async function linkedMember(tenantId: string, role: 'admin' | 'manager' | 'member' = 'member') {
  const member = await directory.addMember(tenantId, { email: `${unique('bob')}@acme.test`, name: 'Bob', role });
  const membershipId = randomUUID();
  await linkAddedMember(p.identityLinks, { tenantId, membershipId }, member);
  return { member, membershipId };
}

describe('StytchDirectory (the real stytch SDK over the emulator)', () => {
  it('creates the organization, carrying Gatehouse id, with its creator as an active admin', async () => {
    const org = await localOrganization();
    const mark = emulator.requests.length;
    const created = await directory.createOrganization({ id: org.id, name: 'Acme Boats', slug: org.slug }, { userId: randomUUID(), email: 'ada@acme.test', name: 'Ada' });

    expect(created.organization).toMatchObject({ name: 'Acme Boats', slug: org.slug, mfaRequired: false });
    expect(emulator.organization(created.organization.externalId)).toMatchObject({ organization_slug: org.slug, organization_external_id: org.id });
    expect(created.creator).toMatchObject({ externalOrganizationId: created.organization.externalId, email: 'ada@acme.test', name: 'Ada', role: 'admin', status: 'active' });
    expect(roleIds(emulator.member(created.organization.externalId, created.creator.externalId))).toEqual(['stytch_admin', 'stytch_member']);
    expect(since(mark)).toEqual(['POST /v1/b2b/organizations', `POST /v1/b2b/organizations/${created.organization.externalId}/members`]);
  });

  it('invites a creator without an account: Stytch sends its invitation and the member stays invited', async () => {
    const org = await localOrganization();
    const created = await directory.createOrganization({ id: org.id, name: org.name, slug: org.slug }, { userId: randomUUID(), email: 'new@acme.test', name: null, invite: true });
    expect(created.creator).toMatchObject({ role: 'admin', status: 'invited' });
    expect(emulator.lastMagicLinkToken('new@acme.test')).not.toBeNull();
  });

  it('answers TENANT_SLUG_TAKEN for a slug Stytch already holds, and creates nothing', async () => {
    emulator.seedOrganization({ name: 'Other', slug: 'taken-slug' });
    const org = await localOrganization('not-yet');
    const mark = emulator.requests.length;
    await expect(directory.createOrganization({ id: org.id, name: 'Acme', slug: 'taken-slug' }, { userId: randomUUID(), email: 'ada@acme.test', name: null })).rejects.toMatchObject({
      code: 'TENANT_SLUG_TAKEN',
    });
    expect(since(mark)).toEqual(['POST /v1/b2b/organizations']);
    expect(emulator.organizationBySlug('taken-slug')?.organization_name).toBe('Other');
  });

  it('deletes the organization again when its creator cannot be created (nothing half-applied)', async () => {
    const org = await localOrganization();
    // The next call under /organizations/ is the member creation (the creation itself is POST /organizations).
    emulator.failNext('/v1/b2b/organizations/', { status: 500, errorType: 'internal_server_error' });
    await expect(directory.createOrganization({ id: org.id, name: org.name, slug: org.slug }, { userId: randomUUID(), email: 'ada@acme.test', name: null })).rejects.toMatchObject({
      code: 'IDENTITY_PROVIDER_UNAVAILABLE',
    });
    expect(emulator.organizationBySlug(org.slug)).toBeNull();
    expect(since(0).filter((r) => r.startsWith('DELETE /v1/b2b/organizations/'))).toHaveLength(1);
  });

  it('answers IDENTITY_PROVIDER_UNAVAILABLE when Stytch fails (5xx, or no answer at all)', async () => {
    const org = await localOrganization();
    emulator.failNext('/v1/b2b/organizations', { status: 503, errorType: 'service_unavailable' });
    await expect(directory.createOrganization({ id: org.id, name: org.name, slug: org.slug }, { userId: randomUUID(), email: 'ada@acme.test', name: null })).rejects.toMatchObject({
      code: 'IDENTITY_PROVIDER_UNAVAILABLE',
    });
    emulator.failNext('/v1/b2b/organizations', 'network');
    await expect(directory.createOrganization({ id: org.id, name: org.name, slug: org.slug }, { userId: randomUUID(), email: 'ada@acme.test', name: null })).rejects.toMatchObject({
      code: 'IDENTITY_PROVIDER_UNAVAILABLE',
    });
    expect(emulator.organizationBySlug(org.slug)).toBeNull();
  });

  it('adds members with the Stytch role their Gatehouse role maps to, active or invited', async () => {
    const { org, organizationId } = await linkedOrganization();
    const manager = await directory.addMember(org.id, { email: 'mia@acme.test', name: 'Mia', role: 'manager' });
    expect(manager).toMatchObject({ externalOrganizationId: organizationId, email: 'mia@acme.test', role: 'manager', status: 'active' });
    expect(roleIds(emulator.member(organizationId, manager.externalId))).toEqual(['gatehouse_manager', 'stytch_member']);

    const invited = await directory.addMember(org.id, { email: 'ivy@acme.test', name: null, role: 'member', invite: true });
    expect(invited).toMatchObject({ role: 'member', status: 'invited' });
    expect(emulator.memberByEmail(organizationId, 'ivy@acme.test')?.status).toBe('invited');
    expect(emulator.lastMagicLinkToken('ivy@acme.test')).not.toBeNull();
  });

  it('answers MEMBER_ALREADY_EXISTS for an email that is a member at Stytch already', async () => {
    const { org, created } = await linkedOrganization();
    await expect(directory.addMember(org.id, { email: created.creator.email, name: null, role: 'member' })).rejects.toMatchObject({ code: 'MEMBER_ALREADY_EXISTS' });
  });

  it('refuses a role STYTCH_ROLE_MAP cannot express, before calling Stytch', async () => {
    const { org } = await linkedOrganization();
    const mark = emulator.requests.length;
    await expect(directory.addMember(org.id, { email: 'vic@acme.test', name: null, role: 'viewer' })).rejects.toMatchObject({ code: 'IDENTITY_CAPABILITY_UNSUPPORTED' });
    expect(since(mark)).toEqual([]);
  });

  it('changes a member’s role at Stytch and returns the new state', async () => {
    const { org, organizationId } = await linkedOrganization();
    const { member, membershipId } = await linkedMember(org.id, 'member');
    const changed = await directory.changeMemberRole(org.id, membershipId, 'manager');
    expect(changed).toMatchObject({ externalId: member.externalId, role: 'manager' });
    expect(roleIds(emulator.member(organizationId, member.externalId))).toEqual(['gatehouse_manager', 'stytch_member']);
    await directory.changeMemberRole(org.id, membershipId, 'admin');
    expect(roleIds(emulator.member(organizationId, member.externalId))).toEqual(['stytch_admin', 'stytch_member']);
  });

  it('removes a member at Stytch; removing one already gone there succeeds (a retried removal)', async () => {
    const { org, organizationId } = await linkedOrganization();
    const { member, membershipId } = await linkedMember(org.id);
    await directory.removeMember(org.id, membershipId);
    expect(emulator.member(organizationId, member.externalId)).toBeNull();
    await expect(directory.removeMember(org.id, membershipId)).resolves.toBeUndefined();
  });

  it('updates name, slug, MFA policy and JIT domains, and returns the new state', async () => {
    const { org, organizationId } = await linkedOrganization();
    const updated = await directory.updateOrganization(org.id, { name: 'Acme Ships', slug: 'acme-ships', mfaRequired: true, emailAllowedDomains: ['acme.test'] });
    expect(updated).toMatchObject({ externalId: organizationId, name: 'Acme Ships', slug: 'acme-ships', mfaRequired: true, emailAllowedDomains: ['acme.test'] });
    expect(emulator.organization(organizationId)).toMatchObject({ mfa_policy: 'REQUIRED_FOR_ALL', email_jit_provisioning: 'RESTRICTED', email_allowed_domains: ['acme.test'] });

    const back = await directory.updateOrganization(org.id, { mfaRequired: false, emailAllowedDomains: [] });
    expect(back).toMatchObject({ name: 'Acme Ships', mfaRequired: false, emailAllowedDomains: [] });
    expect(emulator.organization(organizationId)).toMatchObject({ mfa_policy: 'OPTIONAL', email_jit_provisioning: 'NOT_ALLOWED' });

    emulator.seedOrganization({ name: 'Other', slug: 'other-slug' });
    await expect(directory.updateOrganization(org.id, { slug: 'other-slug' })).rejects.toMatchObject({ code: 'TENANT_SLUG_TAKEN' });
  });

  it('deletes the organization at Stytch; deleting one already gone there succeeds', async () => {
    const { org, organizationId } = await linkedOrganization();
    await directory.deleteOrganization(org.id);
    expect(emulator.organization(organizationId)).toBeNull();
    await expect(directory.deleteOrganization(org.id)).resolves.toBeUndefined();
  });

  it('answers TENANT_NOT_FOUND / MEMBER_NOT_FOUND for unlinked ids without calling Stytch, and for objects Stytch no longer has', async () => {
    const { org, organizationId } = await linkedOrganization();
    const unlinked = await localOrganization();
    const mark = emulator.requests.length;
    await expect(directory.addMember(unlinked.id, { email: 'x@acme.test', name: null, role: 'member' })).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    await expect(directory.changeMemberRole(org.id, randomUUID(), 'admin')).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
    await expect(directory.removeMember(unlinked.id, randomUUID())).rejects.toMatchObject({ code: 'TENANT_NOT_FOUND' });
    expect(since(mark)).toEqual([]);

    // A member of another organization is not this one's.
    const { membershipId } = await linkedMember(org.id);
    const other = await linkedOrganization();
    await expect(directory.changeMemberRole(other.org.id, membershipId, 'admin')).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });

    emulator.deleteMember(organizationId, (await p.identityLinks.findByLocal('member', membershipId))!.externalId);
    await expect(directory.changeMemberRole(org.id, membershipId, 'admin')).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
  });

  it('discards what a failed local commit left: the organization, or one member', async () => {
    const org = await localOrganization();
    const created = await directory.createOrganization({ id: org.id, name: org.name, slug: org.slug }, { userId: randomUUID(), email: 'ada@acme.test', name: null });
    const organizationId = created.organization.externalId;
    await p.identityLinks.save({ kind: 'organization', externalId: organizationId, localId: org.id, tenantId: org.id, sourceUpdatedAt: null, deletedAt: null });
    const added = await directory.addMember(org.id, { email: 'bob@acme.test', name: null, role: 'member' });

    await directory.discardMember(added);
    expect(emulator.member(organizationId, added.externalId)).toBeNull();
    expect(emulator.member(organizationId, created.creator.externalId)).not.toBeNull();
    await directory.discardOrganization(created.organization);
    expect(emulator.organization(organizationId)).toBeNull();
  });
});
