import { DomainError } from '../../domain/shared/domain-error.js';
import type { MfaChallenge } from '../../domain/credentials/mfa-challenge.js';
import type { Clock } from '../../domain/shared/clock.js';
import { assertSignInAllowed } from '../../domain/tenancy/organization-status.js';
import type { Membership } from '../../domain/tenancy/membership.js';
import { assertAuthMethodAllowed, type Organization } from '../../domain/tenancy/organization.js';
import type { User } from '../../domain/tenancy/user.js';
import type { MembershipRepository } from '../ports/membership-repository.port.js';
import type { OneTimeTokenRepository } from '../ports/one-time-token-repository.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { AuditEntry, AuditRecorder } from './audit-recorder.js';
import { issueIntermediateToken } from './intermediate-tokens.js';
import type { AuthOutcome, DiscoveredOrganization, OrgSelectionRequired } from './auth-outcome.js';
import type { AuthSettings } from './auth-settings.js';
import type { MembershipAdmission } from './membership-admission.js';
import type { MfaChallenges } from './mfa-challenges.js';
import { findOrganization, requireOrganization } from './organization-resolver.js';
import type { RequestMeta } from './request-meta.js';
import type { SessionIssuer, Succession } from './session-issuer.js';

/** What a sign-in records of itself; the entry adds the organization it entered and `result` (the outcome's status). */
export type SignInAudit = Omit<AuditEntry, 'tenantId'>;

/**
 * The writes left once an entry is planned; they run only after the factor checked out. Given the
 * sign-in's audit entry, the step records it exactly once: in the same write as the session it
 * starts, or after the challenge or choice it answers with instead.
 */
export type EntryStep = (signIn?: SignInAudit) => Promise<AuthOutcome>;

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
      admission: MembershipAdmission;
      /** The MFA step before any session (docs/flows/mfa.md). */
      mfa: MfaChallenges;
      audit: AuditRecorder;
      clock: Clock;
      settings: AuthSettings;
    },
  ) {}

  enter(user: User, amr: string[], organizationRef: string | undefined, meta: RequestMeta, providerSession: string | null = null, signIn?: SignInAudit): Promise<AuthOutcome> {
    return this.plan(user, amr, organizationRef, meta, providerSession).then((step) => step(signIn));
  }

  /**
   * `enter` in two steps: every read now, and the step that writes (a session, a challenge,
   * an intermediate token, an accepted invitation). A caller may plan while a password is
   * being hashed and take the step only once it proved right. Planning never rejects: a
   * refusal (TENANT_ARCHIVED, …) is the step's, so it cannot surface before the password check.
   */
  async plan(user: User, amr: string[], organizationRef: string | undefined, meta: RequestMeta, providerSession: string | null = null): Promise<EntryStep> {
    try {
      if (organizationRef !== undefined) return await this.planOrganization(user, amr, organizationRef, meta, providerSession);
      const choices = await this.organizationsOf(user, amr);
      if (choices.length === 0) return await this.planSession({ user, organization: null, membership: null, amr, meta, providerSession });
      // Only a membership the person already holds is entered without asking. Accepting an invitation or joining
      // by email domain is their choice to make: an organization can claim a domain it does not own.
      if (choices.length === 1 && choices[0]!.membership === 'active_member') return await this.planOrganization(user, amr, choices[0]!.id, meta, providerSession);
      return this.recordedAfter(meta, () => this.offerChoice(user, amr, choices, providerSession));
    } catch (error) {
      return () => Promise.reject(error as Error);
    }
  }

  /** An intermediate token (bound to the user and the factors used) and the organizations to pick from. */
  async offerChoice(user: User, amr: readonly string[], choices: DiscoveredOrganization[], providerSession: string | null = null): Promise<OrgSelectionRequired> {
    const ttl = this.deps.settings.intermediateTokenTtlSeconds;
    const intermediateToken = await issueIntermediateToken(this.deps, user, amr, providerSession, ttl);
    return { status: 'org_selection_required', intermediateToken, expiresIn: ttl, organizations: choices };
  }

  /** Signs in to one organization the user is an active member of; `succeeds`: the session this one replaces (switching). */
  async enterOrganization(user: User, amr: string[], organizationRef: string, meta: RequestMeta, providerSession: string | null = null, signIn?: SignInAudit, succeeds?: Succession): Promise<AuthOutcome> {
    return (await this.planOrganization(user, amr, organizationRef, meta, providerSession, succeeds))(signIn);
  }

  /**
   * Plans entering one organization, refusing now (TENANT_NOT_FOUND, TENANT_ARCHIVED, …) rather than in the
   * step: a caller that spends something to enter (an intermediate token) checks the choice before spending it.
   */
  async planOrganization(user: User, amr: string[], organizationRef: string, meta: RequestMeta, providerSession: string | null = null, succeeds?: Succession): Promise<EntryStep> {
    const org = await requireOrganization(this.deps.orgs, organizationRef);
    const standing = await this.deps.admission.standing(user, org, amr);
    // A stranger gets the answer of an unknown organization before anything about this one, its status included.
    if (standing === null) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
    assertSignInAllowed(org.status);
    assertAuthMethodAllowed(org.policy, amr);
    if (standing !== 'admit') return this.planSession({ user, organization: org, membership: standing, amr, meta, providerSession, succeeds });
    // Accepting an invitation or joining by domain writes (at the provider too) before the MFA check.
    return async (signIn) => {
      const admitted = await this.deps.admission.admit(user, org, amr);
      return (await this.planSession({ user, organization: org, membership: admitted, amr, meta, providerSession, succeeds }))(signIn);
    };
  }

  /**
   * Resumes a sign-in after its MFA step, with the second factor in `amr`: the same
   * organization (membership and status checked again), or the same choice as before.
   */
  continueAfterMfa(user: User, challenge: MfaChallenge, meta: RequestMeta, signIn?: SignInAudit): Promise<AuthOutcome> {
    // A switch that needed the second factor replaces its session now; the fresh factor lifts the access token's cap.
    const succeeds = challenge.succeeds ? { sessionId: challenge.succeeds, accessNotAfter: null } : undefined;
    return challenge.tenantId !== null
      ? this.enterOrganization(user, challenge.amr, challenge.tenantId, meta, challenge.providerSession, signIn, succeeds)
      : this.enter(user, challenge.amr, undefined, meta, challenge.providerSession, signIn);
  }

  /** The last step before a session: an MFA challenge instead, when the person or the organization needs one. */
  private async planSession(input: {
    user: User;
    organization: Organization | null;
    membership: Membership | null;
    amr: string[];
    meta: RequestMeta;
    providerSession: string | null;
    succeeds?: Succession | undefined;
  }): Promise<EntryStep> {
    const challenge = await this.deps.mfa.prepare(input.user, input.organization, input.amr, input.providerSession, input.succeeds?.sessionId ?? null);
    if (challenge) return this.recordedAfter(input.meta, challenge, input.organization?.id ?? null);
    const succeeds = input.succeeds;
    if (succeeds) {
      // A switch, directly or after its MFA step: recorded once the new session exists.
      return async (signIn) => {
        const tenantId = input.organization?.id ?? null;
        const outcome = await this.deps.issuer.succeed({ ...input, succeeds });
        if (signIn) await this.deps.audit.record(withResult(signIn, 'authenticated', tenantId), input.meta);
        await this.deps.audit.record({ action: 'auth.switch_organization', actorUserId: input.user.id, tenantId, targetType: 'session', targetId: succeeds.sessionId }, input.meta);
        return outcome;
      };
    }
    return (signIn) =>
      this.deps.issuer.start({
        ...input,
        signIn: signIn && this.deps.audit.event(withResult(signIn, 'authenticated', input.organization?.id ?? null), input.meta),
      });
  }

  /** A step that does not start a session: the sign-in is recorded once its own write is done. */
  private recordedAfter(meta: RequestMeta, write: () => Promise<AuthOutcome>, tenantId: string | null = null): EntryStep {
    return async (signIn) => {
      const outcome = await write();
      if (signIn) await this.deps.audit.record(withResult(signIn, outcome.status, tenantId), meta);
      return outcome;
    };
  }

  /**
   * The organization `organizationRef` names when the user is an active member of it, else null: where
   * an attempt to sign in to it is recorded, so its admins see failures against their members. A name
   * the user has no membership in records nothing there (anyone could name any organization).
   */
  async memberTenant(user: User, organizationRef: string): Promise<string | null> {
    const org = await findOrganization(this.deps.orgs, organizationRef);
    if (!org) return null;
    return (await this.deps.memberships.findByUser(org.id, user.id))?.isActive ? org.id : null;
  }

  /** Organizations the user may enter now, by name. */
  organizationsOf(user: User, amr: readonly string[]): Promise<DiscoveredOrganization[]> {
    return this.deps.admission.discover(user, amr);
  }
}

function withResult(signIn: SignInAudit, result: AuthOutcome['status'], tenantId: string | null): AuditEntry {
  return { ...signIn, tenantId, metadata: { ...signIn.metadata, result } };
}
