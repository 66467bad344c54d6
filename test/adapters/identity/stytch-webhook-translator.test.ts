import { randomBytes } from 'node:crypto';
import type { Member, Organization } from 'stytch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouseRoleOf, parseRoleMap, stytchRoleFor } from '../../../src/adapters/identity/stytch/stytch-role-map.js';
import { translateStytchWebhook } from '../../../src/adapters/identity/stytch/stytch-webhook-translator.js';
import { SvixWebhookVerifier } from '../../../src/adapters/identity/stytch/svix-webhook-verifier.js';
import { type ErrorCode, isDomainError } from '../../../src/domain/shared/domain-error.js';
import { StytchEmulator } from '../../fakes/stytch-emulator.js';
import { signedDelivery } from '../../fakes/svix-signer.js';

const PROJECT_ID = 'project-test-00000000-0000-4000-8000-000000000000';
const roleMap = parseRoleMap('stytch_admin=admin, ops_lead = manager,stytch_member=member,auditor=viewer');
const settings = { projectId: PROJECT_ID, roleOf: (ids: readonly string[]) => gatehouseRoleOf(roleMap, ids) };

function codeOf(work: () => unknown): ErrorCode | unknown {
  try {
    work();
    return null;
  } catch (error) {
    return isDomainError(error) ? error.code : error;
  }
}

describe('STYTCH_ROLE_MAP', () => {
  it('parses pairs, and refuses malformed entries and a Stytch role mapped twice', () => {
    expect(roleMap).toEqual([['stytch_admin', 'admin'], ['ops_lead', 'manager'], ['stytch_member', 'member'], ['auditor', 'viewer']]);
    for (const bad of ['stytch_admin', 'stytch_admin=owner', 'a=admin=b', 'stytch admin=admin', '', 'x=admin,x=member']) expect(() => parseRoleMap(bad)).toThrow(/STYTCH_ROLE_MAP/);
  });

  it('gives the most senior mapped role; stytch_member (everyone holds it) only when nothing else maps; member by default', () => {
    expect(gatehouseRoleOf(roleMap, ['stytch_member', 'auditor', 'ops_lead'])).toBe('manager');
    expect(gatehouseRoleOf(roleMap, ['stytch_member', 'auditor'])).toBe('viewer');
    expect(gatehouseRoleOf(roleMap, ['stytch_member', 'stytch_admin'])).toBe('admin');
    expect(gatehouseRoleOf(roleMap, ['stytch_member', 'unmapped_custom_role'])).toBe('member');
    expect(gatehouseRoleOf(parseRoleMap('stytch_member=viewer,stytch_admin=admin'), ['stytch_member'])).toBe('viewer');
    expect(gatehouseRoleOf(roleMap, [])).toBe('member');
  });

  it('writes a Gatehouse role back as the first Stytch role configured for it, or null', () => {
    const map = parseRoleMap('stytch_admin=admin,owner=admin,stytch_member=member');
    expect([stytchRoleFor(map, 'admin'), stytchRoleFor(map, 'member'), stytchRoleFor(map, 'viewer')]).toEqual(['stytch_admin', 'stytch_member', null]);
  });
});

describe('Stytch webhook translation (objects from the Stytch emulator, typed as the SDK)', () => {
  let stytch: StytchEmulator;
  let org: Organization;
  let member: Member;
  beforeAll(async () => {
    stytch = await StytchEmulator.start({ projectId: PROJECT_ID, now: () => new Date('2030-05-01T12:00:00.000Z') });
    org = stytch.seedOrganization({ name: 'Harbor', slug: 'harbor-x', mfaPolicy: 'REQUIRED_FOR_ALL', emailAllowedDomains: ['harbor.test'], emailJitProvisioning: 'RESTRICTED' });
    member = stytch.seedMember(org.organization_id, { email: 'Ada@Harbor.test', name: 'Ada', roles: ['auditor'] });
  });
  afterAll(async () => {
    await stytch?.stop();
  });

  const envelope = (extra: Record<string, unknown>) => ({ project_id: PROJECT_ID, event_id: 'event-test-1', source: 'DIRECT', timestamp: '2030-05-01T12:00:09Z', vertical: 'B2B', ...extra });

  it('turns a member CREATE/UPDATE into member_upserted with the mapped role and the provider updated_at', () => {
    const event = translateStytchWebhook(envelope({ action: 'UPDATE', object_type: 'member', id: member.member_id, member }), settings);
    expect(event).toEqual({
      eventId: 'event-test-1', objectType: 'member', action: 'UPDATE',
      change: {
        kind: 'member_upserted',
        member: {
          externalId: member.member_id, externalOrganizationId: org.organization_id, email: 'ada@harbor.test', name: 'Ada', role: 'viewer', status: 'active', emailVerified: false, updatedAt: new Date('2030-05-01T12:00:00.000Z'),
        },
      },
    });
  });

  it('makes a deleted or locked member `removed`, an invited or pending one `invited`, and falls back on the delivery time', () => {
    const statusOf = (m: Record<string, unknown>) => {
      const change = translateStytchWebhook(envelope({ action: 'UPDATE', object_type: 'member', member: { ...member, ...m } }), settings).change;
      return change.kind === 'member_upserted' ? [change.member.status, change.member.updatedAt?.toISOString()] : change.kind;
    };
    expect(statusOf({ status: 'deleted' })[0]).toBe('removed');
    expect(statusOf({ is_locked: true })[0]).toBe('removed');
    expect(statusOf({ status: 'invited' })[0]).toBe('invited');
    expect(statusOf({ status: 'pending' })[0]).toBe('invited');
    expect(statusOf({ updated_at: undefined })).toEqual(['active', '2030-05-01T12:00:09.000Z']);
  });

  it('turns a DELETE into a removal of the id it names, at the delivery time', () => {
    expect(translateStytchWebhook(envelope({ action: 'DELETE', object_type: 'member', id: member.member_id }), settings).change).toEqual({
      kind: 'member_removed', externalMemberId: member.member_id, at: new Date('2030-05-01T12:00:09Z'),
    });
    expect(translateStytchWebhook(envelope({ action: 'DELETE', object_type: 'organization', id: org.organization_id }), settings).change).toEqual({
      kind: 'organization_removed', externalOrganizationId: org.organization_id, at: new Date('2030-05-01T12:00:09Z'),
    });
    expect(codeOf(() => translateStytchWebhook(envelope({ action: 'DELETE', object_type: 'member' }), settings))).toBe('VALIDATION_FAILED');
  });

  it('turns an organization UPDATE into organization_upserted: MFA policy, and allowed domains only with RESTRICTED JIT', () => {
    const change = translateStytchWebhook(envelope({ action: 'CREATE', object_type: 'organization', organization: org }), settings).change;
    expect(change).toEqual({
      kind: 'organization_upserted',
      organization: { externalId: org.organization_id, name: 'Harbor', slug: 'harbor-x', mfaRequired: true, emailAllowedDomains: ['harbor.test'], updatedAt: new Date('2030-05-01T12:00:00.000Z') },
    });
    const closed = translateStytchWebhook(envelope({ action: 'UPDATE', object_type: 'organization', organization: { ...org, email_jit_provisioning: 'NOT_ALLOWED', mfa_policy: 'OPTIONAL' } }), settings).change;
    expect(closed.kind === 'organization_upserted' && [closed.organization.emailAllowedDomains, closed.organization.mfaRequired]).toEqual([[], false]);
  });

  it('ignores the CREATE of an organization Gatehouse made itself (its external id set): its own commit links it; later UPDATEs apply', () => {
    const ours = { ...org, organization_external_id: '0195f3a0-0000-7000-8000-000000000001' };
    expect(translateStytchWebhook(envelope({ action: 'CREATE', object_type: 'organization', organization: ours }), settings).change).toEqual({ kind: 'ignored', reason: 'created by Gatehouse' });
    expect(translateStytchWebhook(envelope({ action: 'UPDATE', object_type: 'organization', organization: ours }), settings).change.kind).toBe('organization_upserted');
  });

  it('ignores other projects, other verticals and objects it does not track; refuses bodies it cannot read', () => {
    const kind = (body: Record<string, unknown>) => translateStytchWebhook(body, settings).change.kind;
    expect(kind(envelope({ action: 'UPDATE', object_type: 'member', member, project_id: 'project-live-other' }))).toBe('ignored');
    expect(kind(envelope({ action: 'UPDATE', object_type: 'member', member, vertical: 'CONSUMER' }))).toBe('ignored');
    expect(kind(envelope({ action: 'UPDATE', object_type: 'sso_connection', id: 'x' }))).toBe('ignored');
    expect(kind(envelope({ action: 'RESTORE', object_type: 'member', member }))).toBe('ignored');
    expect(codeOf(() => translateStytchWebhook(envelope({ action: 'UPDATE', object_type: 'member' }), settings))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => translateStytchWebhook(envelope({ action: 'UPDATE', object_type: 'member', member: { ...member, updated_at: 'yesterday' } }), settings))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => translateStytchWebhook({ action: 'UPDATE' }, settings))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => translateStytchWebhook('not an object', settings))).toBe('VALIDATION_FAILED');
  });
});

describe('SvixWebhookVerifier', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const seen: unknown[] = [];
  const verifier = new SvixWebhookVerifier({ secret, translate: (body) => (seen.push(body), { eventId: 'e', objectType: 'member', action: 'UPDATE', change: { kind: 'ignored', reason: 'test' } }) });

  it('parses the very bytes it verified, and translates nothing before the signature holds', () => {
    const body = { event_id: 'event-test-2', note: 'héllo' };
    const signed = signedDelivery(secret, body);
    expect(verifier.open(Buffer.from(signed.body), signed.headers).eventId).toBe('e');
    expect(seen.at(-1)).toEqual(body);
    const count = seen.length;
    expect(codeOf(() => verifier.open(Buffer.from(signed.body.replace('héllo', 'hello')), signed.headers))).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(codeOf(() => verifier.open(Buffer.from(signed.body), { ...signed.headers, 'svix-signature': undefined }))).toBe('WEBHOOK_SIGNATURE_INVALID');
    // The unbranded (webhook-*) headers are not Stytch's: refused.
    expect(codeOf(() => verifier.open(Buffer.from(signed.body), { 'webhook-id': signed.headers['svix-id'], 'webhook-timestamp': signed.headers['svix-timestamp'], 'webhook-signature': signed.headers['svix-signature'] }))).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(seen.length).toBe(count);
  });

  it('answers VALIDATION_FAILED to a signed body that is not JSON', () => {
    const signed = signedDelivery(secret, 'not json {');
    expect(codeOf(() => verifier.open(Buffer.from(signed.body), signed.headers))).toBe('VALIDATION_FAILED');
  });

  it('refuses a secret that is not base64 at construction, not at the first delivery', () => {
    expect(() => new SvixWebhookVerifier({ secret: 'whsec_', translate: () => { throw new Error('unused'); } })).toThrow();
  });
});
