import { randomBytes, randomUUID } from 'node:crypto';
import type { Member, Organization as StytchOrganization } from 'stytch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Persistence } from '../../src/application/ports/persistence.port.js';
import type { OrganizationEntry } from '../../src/application/services/organization-entry.js';
import type { SessionIssuer } from '../../src/application/services/session-issuer.js';
import { isDomainError } from '../../src/domain/shared/domain-error.js';
import { T } from '../../src/infrastructure/di/tokens.js';
import { StytchEmulator } from '../fakes/stytch-emulator.js';
import { signedDelivery } from '../fakes/svix-signer.js';
import { type Harness, startHarness } from '../support/http-harness.js';
import { pglitePersistence } from '../support/test-database.js';

const PROJECT_ID = 'project-test-00000000-0000-4000-8000-000000000000';
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const PATH = '/api/v1/webhooks/stytch';
const META = { ip: null, userAgent: 'vitest' };

/**
 * Stytch webhooks over HTTP (Svix-signed, PGlite store, the harness in Stytch mode): attackers'
 * deliveries change nothing, real ones keep the mirror current and take effect on the next request.
 * Gatehouse tokens for mirrored members are issued through SessionIssuer (what every sign-in ends
 * with), so these tests do not depend on a Stytch sign-in flow.
 */
describe('POST /api/v1/webhooks/stytch (Svix-verified, IDENTITY_PROVIDER=stytch, PGlite)', () => {
  let h: Harness;
  let stytch: StytchEmulator;
  let p: Persistence;
  /** Stytch's clock (updated_at of what the emulator returns); Svix signatures use the wall clock. */
  let stytchNow = new Date('2030-03-01T10:00:00.000Z');

  beforeAll(async () => {
    stytch = await StytchEmulator.start({ projectId: PROJECT_ID, now: () => stytchNow });
    p = (await pglitePersistence()).persistence;
    h = await startHarness({
      persistence: p,
      env: {
        IDENTITY_PROVIDER: 'stytch',
        STYTCH_PROJECT_ID: PROJECT_ID,
        STYTCH_SECRET: 'secret-test-emulator',
        STYTCH_WEBHOOK_SECRET: SECRET,
        STYTCH_API_URL: stytch.url,
        STYTCH_ROLE_MAP: 'stytch_admin=admin,ops_lead=manager,stytch_member=member,auditor=viewer',
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await stytch?.stop();
  });

  function tick(seconds = 1): Date {
    stytchNow = new Date(stytchNow.getTime() + seconds * 1000);
    return stytchNow;
  }

  /** A Stytch webhook body (integration notes): the full object on CREATE/UPDATE. */
  function stytchEvent(objectType: 'member' | 'organization' | 'sso_connection', action: 'CREATE' | 'UPDATE' | 'DELETE', object: Member | StytchOrganization | { id: string }, extra: Record<string, unknown> = {}) {
    const id = 'member_id' in object ? object.member_id : 'organization_id' in object ? object.organization_id : object.id;
    return {
      project_id: PROJECT_ID,
      event_id: `event-test-${randomUUID()}`,
      action,
      object_type: objectType,
      source: 'DASHBOARD',
      id,
      timestamp: stytchNow.toISOString(),
      vertical: 'B2B',
      ...(action === 'DELETE' ? {} : { [objectType]: object }),
      ...extra,
    };
  }

  function deliver(body: unknown, options: { secret?: string; msgId?: string; timestamp?: Date } = {}) {
    const signed = signedDelivery(options.secret ?? SECRET, body, options);
    return h.call('POST', PATH, { body: signed.body, headers: signed.headers });
  }

  async function delivered(body: unknown) {
    const response = await deliver(body);
    expect([response.status, response.body.received]).toEqual([200, true]);
    return response.body;
  }

  /** A Stytch organization, mirrored by its CREATE webhook. */
  async function mirroredOrganization(name = 'Harbor Point') {
    const org = stytch.seedOrganization({ name, slug: `harbor-${randomBytes(4).toString('hex')}` });
    expect((await delivered(stytchEvent('organization', 'CREATE', org))).outcome).toBe('applied');
    const tenantId = (await p.identityLinks.findByExternal('organization', org.organization_id))!.localId;
    return { org, tenantId };
  }

  /** A Stytch member, mirrored by its CREATE webhook. */
  async function mirroredMember(org: StytchOrganization, roles: string[] = []) {
    tick();
    const member = stytch.seedMember(org.organization_id, { email: `${randomBytes(4).toString('hex')}@harbor.test`, name: 'Ada Sailor', roles });
    expect((await delivered(stytchEvent('member', 'CREATE', member))).outcome).toBe('applied');
    return member;
  }

  /** A Gatehouse session for the mirrored member, as every sign-in ends (SessionIssuer). */
  async function signIn(email: string, tenantId: string): Promise<string> {
    const user = (await p.users.findByEmail(email))!;
    const organization = (await p.orgs.findById(tenantId))!;
    const membership = await p.memberships.findByUser(tenantId, user.id);
    const issued = await h.gatehouse.container.get<SessionIssuer>(T.SessionIssuer).start({ user, organization, membership, amr: ['email'], meta: META });
    return issued.accessToken;
  }

  async function membershipOf(email: string, tenantId: string) {
    const user = await p.users.findByEmail(email);
    return user ? p.memberships.findByUser(tenantId, user.id) : null;
  }

  describe('attackers', () => {
    it('refuses a forged signature, a wrong secret, a body tampered after signing, stale and future timestamps and missing headers with 400, changing nothing', async () => {
      const org = stytch.seedOrganization({ name: 'Forged Inc', slug: `forged-${randomBytes(4).toString('hex')}` });
      const body = stytchEvent('organization', 'CREATE', org);
      const genuine = signedDelivery(SECRET, body);
      const attempts = [
        { name: 'forged signature', body: genuine.body, headers: { ...genuine.headers, 'svix-signature': `v1,${randomBytes(32).toString('base64')}` } },
        { name: 'wrong secret', ...signedDelivery(`whsec_${randomBytes(24).toString('base64')}`, body) },
        { name: 'tampered body', body: genuine.body.replace('Forged Inc', 'Evil Inc'), headers: genuine.headers },
        { name: 'stale timestamp', ...signedDelivery(SECRET, body, { timestamp: new Date(Date.now() - 6 * 60_000) }) },
        { name: 'future timestamp', ...signedDelivery(SECRET, body, { timestamp: new Date(Date.now() + 6 * 60_000) }) },
        { name: 'timestamp of another delivery', body: genuine.body, headers: { ...genuine.headers, 'svix-timestamp': String(Number(genuine.headers['svix-timestamp']) - 1) } },
        { name: 'another message id', body: genuine.body, headers: { ...genuine.headers, 'svix-id': 'msg_replayed_under_another_id' } },
        { name: 'no svix-signature', body: genuine.body, headers: { ...genuine.headers, 'svix-signature': '' } },
        { name: 'no svix-id', body: genuine.body, headers: { ...genuine.headers, 'svix-id': '' } },
        { name: 'no svix-timestamp', body: genuine.body, headers: { ...genuine.headers, 'svix-timestamp': '' } },
        { name: 'unsigned', body: genuine.body, headers: { 'content-type': 'application/json' } },
        { name: 'no body', body: '', headers: genuine.headers },
      ];
      for (const attempt of attempts) {
        const response = await h.call('POST', PATH, { body: attempt.body, headers: attempt.headers });
        expect([attempt.name, response.status, response.body.code]).toEqual([attempt.name, 400, 'WEBHOOK_SIGNATURE_INVALID']);
      }
      expect(await p.identityLinks.findByExternal('organization', org.organization_id)).toBeNull();
      expect(await p.orgs.findBySlug(org.organization_slug)).toBeNull();
      // The genuine delivery still works afterwards.
      expect((await h.call('POST', PATH, { body: genuine.body, headers: genuine.headers })).body).toEqual({ received: true, duplicate: false, outcome: 'applied' });
    });

    it('applies a replayed delivery once: the same Svix message again, or the same event under a new message id, is a duplicate', async () => {
      const { org, tenantId } = await mirroredOrganization();
      tick();
      const member = stytch.seedMember(org.organization_id, { email: `replayed-${randomBytes(4).toString('hex')}@harbor.test` });
      const body = stytchEvent('member', 'CREATE', member);
      const signed = signedDelivery(SECRET, body);
      const first = await h.call('POST', PATH, { body: signed.body, headers: signed.headers });
      expect(first.body).toEqual({ received: true, duplicate: false, outcome: 'applied' });
      const membership = await membershipOf(member.email_address, tenantId);
      // Gatehouse removes them meanwhile; a replay must not bring them back.
      await p.memberships.delete(tenantId, membership!.id);
      const replays = await Promise.all([
        h.call('POST', PATH, { body: signed.body, headers: signed.headers }),
        h.call('POST', PATH, { body: signed.body, headers: signed.headers }),
        deliver(body, { msgId: 'msg_redelivered_by_svix' }),
      ]);
      expect(replays.map((r) => [r.status, r.body.duplicate, r.body.outcome])).toEqual(Array(3).fill([200, true, 'duplicate']));
      expect(await membershipOf(member.email_address, tenantId)).toBeNull();
      expect((await p.audit.list(tenantId, { action: 'member.added', limit: 10 })).events).toHaveLength(1);
    });

    it('ignores deliveries of another Stytch project and of objects the mirror does not track, and refuses a signed body it cannot read', async () => {
      const org = stytch.seedOrganization({ name: 'Elsewhere', slug: `elsewhere-${randomBytes(4).toString('hex')}` });
      expect(await delivered(stytchEvent('organization', 'CREATE', org, { project_id: 'project-test-someone-else' }))).toEqual({ received: true, duplicate: false, outcome: 'ignored' });
      expect((await delivered(stytchEvent('sso_connection', 'UPDATE', { id: 'saml-connection-test-1' }))).outcome).toBe('ignored');
      expect(await p.identityLinks.findByExternal('organization', org.organization_id)).toBeNull();
      const garbled = await deliver({ project_id: PROJECT_ID, event_id: 'event-test-garbled', action: 'UPDATE', object_type: 'member', member: { member_id: 42 } });
      expect([garbled.status, garbled.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const notJson = await deliver('{"project_id": ');
      expect([notJson.status, notJson.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });

  describe('members', () => {
    it('mirrors a created member: an active account without a password and a membership with the mapped role', async () => {
      const { org, tenantId } = await mirroredOrganization();
      const member = await mirroredMember(org, ['ops_lead']);
      const user = await p.users.findByEmail(member.email_address);
      expect(user).toMatchObject({ status: 'active', passwordHash: null, name: 'Ada Sailor' });
      expect(await membershipOf(member.email_address, tenantId)).toMatchObject({ role: 'manager', status: 'active' });
      const token = await signIn(member.email_address, tenantId);
      const members = await h.call('GET', `/api/v1/organizations/${tenantId}/members`, { token });
      expect(members.status).toBe(200);
      expect(JSON.stringify(members.body)).toContain(member.email_address);
    });

    it('applies a role change on the very next request with the same access token (access views invalidated, not after expiry)', async () => {
      const { org, tenantId } = await mirroredOrganization();
      const member = await mirroredMember(org);
      const token = await signIn(member.email_address, tenantId);
      // A plain member may not read the audit log; the refusal also caches the organization's access view.
      expect((await h.call('GET', `/api/v1/organizations/${tenantId}/audit-log`, { token })).body.code).toBe('ACCESS_DENIED');
      tick();
      const promoted = stytch.updateMember(org.organization_id, member.member_id, { roles: ['stytch_admin'] });
      expect((await delivered(stytchEvent('member', 'UPDATE', promoted))).outcome).toBe('applied');
      expect((await h.call('GET', `/api/v1/organizations/${tenantId}/audit-log`, { token })).status).toBe(200);
      tick();
      const demoted = stytch.updateMember(org.organization_id, member.member_id, { roles: ['auditor'] });
      await delivered(stytchEvent('member', 'UPDATE', demoted));
      expect((await h.call('GET', `/api/v1/organizations/${tenantId}/audit-log`, { token })).body.code).toBe('ACCESS_DENIED');
      expect((await membershipOf(member.email_address, tenantId))?.role).toBe('viewer');
    });

    it('ends the sessions of a deleted member at once: an access token issued before the webhook is refused on the next request', async () => {
      const { org, tenantId } = await mirroredOrganization();
      const member = await mirroredMember(org, ['stytch_admin']);
      const token = await signIn(member.email_address, tenantId);
      expect((await h.call('GET', `/api/v1/organizations/${tenantId}`, { token })).status).toBe(200);
      tick();
      stytch.deleteMember(org.organization_id, member.member_id);
      expect((await delivered(stytchEvent('member', 'DELETE', member))).outcome).toBe('applied');
      const after = await h.call('GET', `/api/v1/organizations/${tenantId}`, { token });
      expect([after.status, after.body.code]).toEqual([401, 'AUTH_SESSION_REVOKED']);
      expect(await membershipOf(member.email_address, tenantId)).toBeNull();
    });

    it('ends the sessions of a member Stytch locked out, on the UPDATE that says so', async () => {
      const { org, tenantId } = await mirroredOrganization();
      const member = await mirroredMember(org);
      const token = await signIn(member.email_address, tenantId);
      tick();
      expect((await delivered(stytchEvent('member', 'UPDATE', { ...member, is_locked: true, updated_at: stytchNow.toISOString() }))).outcome).toBe('applied');
      expect((await h.call('GET', `/api/v1/me`, { token })).body.code).toBe('AUTH_SESSION_REVOKED');
    });

    it('keeps the newer state when UPDATEs arrive out of order', async () => {
      const { org, tenantId } = await mirroredOrganization();
      const member = await mirroredMember(org);
      tick(10);
      const older = stytch.updateMember(org.organization_id, member.member_id, { roles: ['auditor'] });
      tick(10);
      const newer = stytch.updateMember(org.organization_id, member.member_id, { roles: ['stytch_admin'] });
      expect((await delivered(stytchEvent('member', 'UPDATE', newer))).outcome).toBe('applied');
      expect((await delivered(stytchEvent('member', 'UPDATE', older))).outcome).toBe('stale');
      expect((await membershipOf(member.email_address, tenantId))?.role).toBe('admin');
    });

    it('keeps a deleted member deleted when an older UPDATE arrives after the DELETE', async () => {
      const { org, tenantId } = await mirroredOrganization();
      const member = await mirroredMember(org);
      tick(10);
      const update = stytch.updateMember(org.organization_id, member.member_id, { roles: ['stytch_admin'] });
      tick(10);
      stytch.deleteMember(org.organization_id, member.member_id);
      expect((await delivered(stytchEvent('member', 'DELETE', member))).outcome).toBe('applied');
      expect((await delivered(stytchEvent('member', 'UPDATE', update))).outcome).toBe('stale');
      expect(await membershipOf(member.email_address, tenantId)).toBeNull();
      expect((await delivered(stytchEvent('member', 'DELETE', member))).outcome).toBe('deleted');
    });
  });

  describe('deletions that overtake their creation', () => {
    it('a member DELETE delivered before the member\'s CREATE is refused (409) until the CREATE is applied; redelivered, it deletes, and nothing comes back', async () => {
      const { org, tenantId } = await mirroredOrganization();
      tick();
      const member = stytch.seedMember(org.organization_id, { email: `${randomBytes(4).toString('hex')}@harbor.test`, name: 'Gone', roles: ['stytch_admin'] });
      const created = stytchEvent('member', 'CREATE', member);
      tick(10);
      stytch.deleteMember(org.organization_id, member.member_id);
      const deleted = stytchEvent('member', 'DELETE', member);
      const early = await deliver(deleted);
      expect([early.status, early.body.code]).toEqual([409, 'CONCURRENT_MODIFICATION']);
      expect((await delivered(created)).outcome).toBe('applied');
      // The provider redelivers the DELETE it was refused: now it applies, and it is not a duplicate.
      expect((await delivered(deleted)).outcome).toBe('applied');
      expect(await membershipOf(member.email_address, tenantId)).toBeNull();
      expect((await delivered(created)).outcome).toBe('duplicate');
    });

    it('an organization DELETE delivered before its CREATE is refused until the CREATE is applied; then the organization is archived', async () => {
      const org = stytch.seedOrganization({ name: 'Fleeting', slug: `fleeting-${randomBytes(4).toString('hex')}` });
      const created = stytchEvent('organization', 'CREATE', org);
      tick(10);
      const deleted = stytchEvent('organization', 'DELETE', org);
      expect((await deliver(deleted)).status).toBe(409);
      expect((await delivered(created)).outcome).toBe('applied');
      expect((await delivered(deleted)).outcome).toBe('applied');
      const tenantId = (await p.identityLinks.findByExternal('organization', org.organization_id))!.localId;
      expect((await p.orgs.findById(tenantId))?.status).toBe('archived');
    });
  });

  describe('organizations', () => {
    it('renames the organization on an UPDATE', async () => {
      const { org, tenantId } = await mirroredOrganization('Harbor Old Name');
      const member = await mirroredMember(org, ['stytch_admin']);
      const token = await signIn(member.email_address, tenantId);
      tick();
      const renamed = { ...org, organization_name: 'Harbor New Name', mfa_policy: 'REQUIRED_FOR_ALL', updated_at: stytchNow.toISOString() };
      expect((await delivered(stytchEvent('organization', 'UPDATE', renamed))).outcome).toBe('applied');
      const read = await h.call('GET', `/api/v1/organizations/${tenantId}`, { token });
      expect([read.status, read.body.name, read.body.slug]).toEqual([200, 'Harbor New Name', org.organization_slug]);
      expect((await p.orgs.findById(tenantId))?.policy.mfaRequired).toBe(true);
    });

    it('archives a deleted organization: sessions end, sign-in is refused with TENANT_ARCHIVED, the data is kept, and it never comes back', async () => {
      const { org, tenantId } = await mirroredOrganization('Closing Down');
      const member = await mirroredMember(org, ['stytch_admin']);
      const token = await signIn(member.email_address, tenantId);
      tick();
      expect((await delivered(stytchEvent('organization', 'DELETE', org))).outcome).toBe('applied');
      expect((await h.call('GET', `/api/v1/organizations/${tenantId}`, { token })).body.code).toBe('AUTH_SESSION_REVOKED');
      const user = (await p.users.findByEmail(member.email_address))!;
      const entry = h.gatehouse.container.get<OrganizationEntry>(T.OrganizationEntry);
      const refused = await entry.enterOrganization(user, ['email'], tenantId, META).then(() => null, (e: unknown) => e);
      expect(isDomainError(refused) ? refused.code : refused).toBe('TENANT_ARCHIVED');
      expect(await p.orgs.findById(tenantId)).toMatchObject({ status: 'archived', name: 'Closing Down' });
      expect(await membershipOf(member.email_address, tenantId)).not.toBeNull();
      // A session made anyway (say, one already being issued) meets the archive on the organization API.
      const late = await signIn(member.email_address, tenantId);
      expect((await h.call('GET', `/api/v1/organizations/${tenantId}`, { token: late })).body.code).toBe('TENANT_ARCHIVED');
      tick();
      expect((await delivered(stytchEvent('organization', 'UPDATE', { ...org, organization_name: 'Revived?', updated_at: stytchNow.toISOString() }))).outcome).toBe('deleted');
      expect((await p.orgs.findById(tenantId))?.status).toBe('archived');
    });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await h.call('GET', '/openapi.json');
    const operation = doc.body.paths[PATH]?.post;
    expect(operation?.operationId).toBe('receiveStytchWebhook');
    expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '501']));
  });
});

describe('POST /api/v1/webhooks/stytch with the built-in identity provider', () => {
  it('answers 501 IDENTITY_NOT_CONFIGURED and reads nothing', async () => {
    const h = await startHarness();
    try {
      const signed = signedDelivery(SECRET, { project_id: PROJECT_ID, event_id: 'event-test-1', action: 'CREATE', object_type: 'organization' });
      const response = await h.call('POST', PATH, { body: signed.body, headers: signed.headers });
      expect([response.status, response.body.code]).toEqual([501, 'IDENTITY_NOT_CONFIGURED']);
      expect(await h.gatehouse.persistence.identityEvents.has('event-test-1')).toBe(false);
    } finally {
      await h.close();
    }
  });
});
