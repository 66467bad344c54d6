import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/domain/credentials/session.js';
import { assertPasswordAcceptable } from '../../../src/domain/credentials/password-policy.js';
import { isDomainError } from '../../../src/domain/shared/domain-error.js';
import { assertAdminRemains } from '../../../src/domain/tenancy/last-admin-rule.js';
import { Membership } from '../../../src/domain/tenancy/membership.js';
import { type AuthMethod, authMethodAllowed, Organization } from '../../../src/domain/tenancy/organization.js';
import { assertSignInAllowed, transitionStatus } from '../../../src/domain/tenancy/organization-status.js';
import { assertValidSlug, slugify } from '../../../src/domain/tenancy/slug.js';

const now = new Date('2026-01-01T00:00:00Z');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (error) {
    return isDomainError(error) ? error.code : 'NOT_A_DOMAIN_ERROR';
  }
};

describe('organization status lifecycle', () => {
  it('allows the documented transitions only', () => {
    expect(transitionStatus('provisioning', 'active')).toBe('active');
    expect(transitionStatus('active', 'past_due')).toBe('past_due');
    expect(transitionStatus('past_due', 'active')).toBe('active');
    expect(transitionStatus('past_due', 'suspended')).toBe('suspended');
    expect(transitionStatus('archived', 'active')).toBe('active');
    expect(codeOf(() => transitionStatus('provisioning', 'past_due'))).toBe('TENANT_STATUS_TRANSITION_INVALID');
    expect(codeOf(() => transitionStatus('archived', 'past_due'))).toBe('TENANT_STATUS_TRANSITION_INVALID');
  });

  it('refuses sign-in to archived, suspended and provisioning tenants with distinct codes', () => {
    expect(codeOf(() => assertSignInAllowed('archived'))).toBe('TENANT_ARCHIVED');
    expect(codeOf(() => assertSignInAllowed('suspended'))).toBe('TENANT_SUSPENDED');
    expect(codeOf(() => assertSignInAllowed('provisioning'))).toBe('TENANT_NOT_ACTIVE');
    expect(codeOf(() => assertSignInAllowed('past_due'))).toBeNull();
  });

  it('moves an organization and stamps the change', () => {
    const org = Organization.create({ id: 'o', slug: 'acme', name: '  Acme   Corp ', now });
    expect(org.name).toBe('Acme Corp');
    org.moveTo('archived', new Date(now.getTime() + 1000));
    expect(org.status).toBe('archived');
    expect(org.updatedAt.getTime()).toBe(now.getTime() + 1000);
  });

  it('restores an archived organization without its ended subscription (it can buy again), a suspended one with it', () => {
    const archived = Organization.create({ id: 'a', slug: 'gone', name: 'Gone', now });
    archived.linkBilling('cus_1', 'sub_ended', now);
    archived.moveTo('archived', now);
    archived.restore(now);
    expect([archived.status, archived.billingCustomerId, archived.billingSubscriptionId, archived.billedBySubscription]).toEqual(['active', 'cus_1', null, false]);
    const suspended = Organization.create({ id: 's', slug: 'held', name: 'Held', now });
    suspended.linkBilling('cus_2', 'sub_live', now);
    suspended.moveTo('suspended', now);
    suspended.restore(now);
    expect([suspended.status, suspended.billingSubscriptionId, suspended.billedBySubscription]).toEqual(['active', 'sub_live', true]);
  });
});

describe('slugs', () => {
  it('validates and derives slugs', () => {
    expect(assertValidSlug('acme-2')).toBe('acme-2');
    for (const bad of ['A', 'a', '-a', 'a-', 'a--b', 'a_b', 'api', 'x'.repeat(64)]) expect(codeOf(() => assertValidSlug(bad)), bad).toBe('TENANT_SLUG_INVALID');
    expect(slugify('Crème Brûlée & Co.')).toBe('creme-brulee-co');
    expect(slugify('!!')).toBe('org-new');
    expect(() => assertValidSlug(slugify('API'))).not.toThrow();
    // A slug shaped like an organization id could stand for another organization's id in `:org`.
    const id = '0190a5e4-1b2c-7d3e-8f40-123456789abc';
    expect(codeOf(() => assertValidSlug(id))).toBe('TENANT_SLUG_INVALID');
    expect(slugify(id.toUpperCase())).toBe(`org-${id}`);
    expect(() => assertValidSlug(slugify(id))).not.toThrow();
  });

  it('allows the sign-in methods a policy lists, any when it lists none', () => {
    const policy = (allowedAuthMethods: AuthMethod[]) => ({ mfaRequired: false, allowedEmailDomains: [], allowedAuthMethods });
    expect(authMethodAllowed(policy([]), ['pwd'])).toBe(true);
    expect(authMethodAllowed(policy(['password']), ['pwd', 'otp', 'mfa'])).toBe(true);
    expect(authMethodAllowed(policy(['magic_link']), ['pwd', 'otp', 'mfa'])).toBe(false);
    expect(authMethodAllowed(policy(['magic_link']), ['email'])).toBe(true);
    expect(authMethodAllowed(policy(['password']), ['pwd', 'email'])).toBe(true);
    expect(authMethodAllowed(policy(['sso', 'passkey']), ['pwd'])).toBe(false);
    expect(authMethodAllowed(policy(['password']), [])).toBe(false);
  });
});

describe('the last-admin rule', () => {
  const admin = Membership.create({ id: 'a', tenantId: 't', userId: 'u1', role: 'admin', now });
  const other = Membership.create({ id: 'b', tenantId: 't', userId: 'u2', role: 'member', now });

  it('refuses to demote or remove the only admin', () => {
    expect(codeOf(() => assertAdminRemains([admin, other], { memberId: 'a', newRole: 'manager' }))).toBe('MEMBER_LAST_ADMIN');
    expect(codeOf(() => assertAdminRemains([admin, other], { memberId: 'a', newRole: null }))).toBe('MEMBER_LAST_ADMIN');
  });

  it('allows it when another active admin remains, but not an invited one', () => {
    const second = Membership.create({ id: 'c', tenantId: 't', userId: 'u3', role: 'admin', now });
    expect(codeOf(() => assertAdminRemains([admin, second], { memberId: 'a', newRole: null }))).toBeNull();
    const invited = Membership.create({ id: 'd', tenantId: 't', userId: 'u4', role: 'admin', status: 'invited', now });
    expect(codeOf(() => assertAdminRemains([admin, invited], { memberId: 'a', newRole: 'viewer' }))).toBe('MEMBER_LAST_ADMIN');
  });
});

describe('sessions', () => {
  const lifetimes = { idleTimeoutSeconds: 100, absoluteLifetimeSeconds: 250 };
  const start = () => Session.start({ id: 's', userId: 'u', tenantId: null, membershipId: null, amr: ['pwd'], userAgent: 'ua', ip: '1.2.3.4', now, lifetimes });
  const at = (s: number) => new Date(now.getTime() + s * 1000);

  it('ends after the idle timeout unless touched, and never after the absolute lifetime', () => {
    const s = start();
    expect(s.isActiveAt(at(99))).toBe(true);
    expect(s.isActiveAt(at(100))).toBe(false);
    s.touch(at(90), lifetimes);
    expect(s.isActiveAt(at(180))).toBe(true);
    s.touch(at(180), lifetimes);
    s.touch(at(240), lifetimes);
    expect(s.idleExpiresAt).toEqual(at(250));
    expect(s.isActiveAt(at(250))).toBe(false);
  });
});

describe('password policy', () => {
  const policy = { minLength: 12, maxLength: 64 };
  it('counts code points, not UTF-16 units, and has no composition rules', () => {
    expect(codeOf(() => assertPasswordAcceptable('😀'.repeat(11), policy))).toBe('PASSWORD_POLICY_VIOLATION');
    expect(codeOf(() => assertPasswordAcceptable('😀'.repeat(12), policy))).toBeNull();
    expect(codeOf(() => assertPasswordAcceptable('alllowercase', policy))).toBeNull();
    expect(codeOf(() => assertPasswordAcceptable('x'.repeat(64), policy))).toBeNull();
    expect(codeOf(() => assertPasswordAcceptable('x'.repeat(65), policy))).toBe('PASSWORD_POLICY_VIOLATION');
  });
});
