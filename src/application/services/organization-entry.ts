import { randomUUID } from 'node:crypto';
import { addSeconds, type Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { assertSignInAllowed } from '../../domain/tenancy/organization-status.js';
import type { User } from '../../domain/tenancy/user.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import { newOpaqueToken } from '../security/opaque-token.js';
import type { AuthOutcome, DiscoveredOrganization } from './auth-outcome.js';
import type { AuthSettings } from './auth-settings.js';
import { requireOrganization } from './organization-resolver.js';
import type { RequestMeta } from './request-meta.js';
import type { SessionIssuer } from './session-issuer.js';

/**
 * After a first factor: enter the requested organization, the only one, none, or ask
 * the person to pick (an intermediate token bound to the user and the factors used).
 */
export class OrganizationEntry {
  constructor(
    private readonly deps: {
      orgs: OrganizationRepository;
      memberships: MembershipRepository;
      oneTimeTokens: OneTimeTokenRepository;
      issuer: SessionIssuer;
      clock: Clock;
      settings: AuthSettings;
    },
  ) {}

  async enter(user: User, amr: string[], organizationRef: string | undefined, meta: RequestMeta): Promise<AuthOutcome> {
    if (organizationRef !== undefined) return this.enterOrganization(user, amr, organizationRef, meta);
    const choices = await this.organizationsOf(user.id);
    if (choices.length === 0) return this.deps.issuer.start({ user, organization: null, membership: null, amr, meta });
    if (choices.length === 1) return this.enterOrganization(user, amr, choices[0]!.id, meta);
    const now = this.deps.clock.now();
    const ttl = this.deps.settings.intermediateTokenTtlSeconds;
    const secret = newOpaqueToken();
    await this.deps.oneTimeTokens.create({
      id: randomUUID(),
      purpose: 'intermediate_session',
      tokenHash: secret.hash,
      userId: user.id,
      email: user.email,
      tenantId: null,
      payload: { amr: amr.join(' ') },
      createdAt: now,
      expiresAt: addSeconds(now, ttl),
      consumedAt: null,
    });
    return { status: 'org_selection_required', intermediateToken: secret.token, expiresIn: ttl, organizations: choices };
  }

  /** Signs in to one organization the user is an active member of. */
  async enterOrganization(user: User, amr: string[], organizationRef: string, meta: RequestMeta): Promise<AuthOutcome> {
    const org = await requireOrganization(this.deps.orgs, organizationRef);
    const membership = await this.deps.memberships.findByUser(org.id, user.id);
    // Not a member and unknown look alike: never reveal another tenant's existence.
    if (!membership || !membership.isActive) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
    assertSignInAllowed(org.status);
    return this.deps.issuer.start({ user, organization: org, membership, amr, meta });
  }

  /** Organizations the user may enter now, by name. */
  async organizationsOf(userId: string): Promise<DiscoveredOrganization[]> {
    const memberships = (await this.deps.memberships.listByUser(userId)).filter((m) => m.isActive);
    const orgs = await this.deps.orgs.findManyByIds(memberships.map((m) => m.tenantId));
    return orgs
      .filter((o) => o.status !== 'archived')
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => ({ id: o.id, slug: o.slug, name: o.name, membership: 'active_member' as const, mfaRequired: o.policy.mfaRequired }));
  }
}
