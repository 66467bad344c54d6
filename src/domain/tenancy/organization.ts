import { DomainError } from '../shared/domain-error.js';
import { assertValidSlug } from './slug.js';
import { type OrganizationStatus, transitionStatus } from './organization-status.js';

/** Sign-in methods an organization may allow. */
export type AuthMethod = 'password' | 'magic_link' | 'passkey' | 'sso';

/** Per-tenant authentication policy. */
export interface OrganizationPolicy {
  /** Every member must complete MFA to enter this organization. */
  mfaRequired: boolean;
  /** Methods members may use to sign in; empty means all. */
  allowedAuthMethods: AuthMethod[];
  /** Verified email domains whose users may join just in time. */
  allowedEmailDomains: string[];
}

/** The sign-in method each first-factor `amr` value (RFC 8176) stands for. */
const METHOD_OF_AMR: Readonly<Record<string, AuthMethod>> = { pwd: 'password', email: 'magic_link' };

/**
 * Whether a session whose factors are `amr` may act in an organization with `policy`: any method when
 * none is listed, otherwise one of its first factors must be a listed method (an email link that also
 * set a password, `pwd email`, counts as either).
 */
export function authMethodAllowed(policy: OrganizationPolicy, amr: readonly string[]): boolean {
  if (policy.allowedAuthMethods.length === 0) return true;
  return amr.some((value) => {
    const method = METHOD_OF_AMR[value];
    return method !== undefined && policy.allowedAuthMethods.includes(method);
  });
}

/** AUTH_METHOD_NOT_ALLOWED unless the factors used include a sign-in method the organization allows. */
export function assertAuthMethodAllowed(policy: OrganizationPolicy, amr: readonly string[]): void {
  if (!authMethodAllowed(policy, amr)) {
    throw new DomainError('AUTH_METHOD_NOT_ALLOWED', `This organization allows signing in with: ${policy.allowedAuthMethods.join(', ')}`, { allowed: policy.allowedAuthMethods.join(',') });
  }
}

export const DEFAULT_POLICY: Readonly<OrganizationPolicy> = Object.freeze({
  mfaRequired: false,
  allowedAuthMethods: [],
  allowedEmailDomains: [],
});

/** A tenant. Every tenant-owned row elsewhere carries this id as `tenantId`. */
export class Organization {
  id!: string;
  slug!: string;
  name!: string;
  status!: OrganizationStatus;
  plan!: string | null;
  policy!: OrganizationPolicy;
  /** The billing provider's customer (Stripe `cus_…`) paying for this organization; null until checkout completes. */
  billingCustomerId: string | null = null;
  /** The billing provider's subscription (Stripe `sub_…`); null until checkout completes. */
  billingSubscriptionId: string | null = null;
  /** Provider time of the newest billing event applied; older deliveries are skipped (out of order). */
  billingUpdatedAt: Date | null = null;
  createdAt!: Date;
  updatedAt!: Date;
  /** Optimistic-lock counter; a save against a stale version fails instead of losing a write. */
  version = 1;

  static create(input: { id: string; slug: string; name: string; status?: OrganizationStatus; plan?: string | null; now: Date }): Organization {
    const org = new Organization();
    org.id = input.id;
    org.slug = assertValidSlug(input.slug);
    org.name = normalizeName(input.name);
    org.status = input.status ?? 'active';
    org.plan = input.plan ?? null;
    org.policy = { ...DEFAULT_POLICY, allowedAuthMethods: [], allowedEmailDomains: [] };
    org.createdAt = input.now;
    org.updatedAt = input.now;
    return org;
  }

  rename(name: string, now: Date): void {
    this.name = normalizeName(name);
    this.updatedAt = now;
  }

  changeSlug(slug: string, now: Date): void {
    this.slug = assertValidSlug(slug);
    this.updatedAt = now;
  }

  updatePolicy(patch: Partial<OrganizationPolicy>, now: Date): void {
    this.policy = {
      mfaRequired: patch.mfaRequired ?? this.policy.mfaRequired,
      allowedAuthMethods: [...new Set(patch.allowedAuthMethods ?? this.policy.allowedAuthMethods)],
      allowedEmailDomains: [...new Set((patch.allowedEmailDomains ?? this.policy.allowedEmailDomains).map((d) => d.toLowerCase()))],
    };
    this.updatedAt = now;
  }

  /** Records the provider's customer and subscription once a checkout for this organization completes. */
  linkBilling(customerId: string, subscriptionId: string | null, now: Date): void {
    this.billingCustomerId = customerId;
    this.billingSubscriptionId = subscriptionId;
    this.updatedAt = now;
  }

  /** Whether a subscription still bills this organization: it has one, and it has not ended (archived). */
  get billedBySubscription(): boolean {
    return this.billingSubscriptionId !== null && this.status !== 'archived';
  }

  /**
   * An operator lifts an archive or a suspension. An archive means the subscription ended: it is forgotten
   * (the customer stays, for the next checkout), so the owner can buy again instead of being told a
   * subscription is active. A suspension keeps the subscription, which still bills.
   */
  restore(now: Date): void {
    const archived = this.status === 'archived';
    this.moveTo('active', now);
    if (archived) this.billingSubscriptionId = null;
  }

  moveTo(status: OrganizationStatus, now: Date): void {
    this.status = transitionStatus(this.status, status);
    this.updatedAt = now;
  }
}

function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}
