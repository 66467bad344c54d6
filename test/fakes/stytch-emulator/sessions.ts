/**
 * Member sessions over the emulator's store: finishing a login (session or IST with
 * `mfa_required`), starting and looking up sessions, their API view and their JWTs. The session
 * records themselves live in the store (`store.sessions`), so `reset()` and member removal still
 * reach them.
 */
import { randomUUID } from 'node:crypto';
import type { AuthenticationFactor, MemberSession } from 'stytch';
import { badRequest, notFound } from './errors.js';
import { clone, opaque, type EmulatorStore, type LoginOutcome, type MemberRecord, type SessionRecord } from './store.js';

export const DEFAULT_SESSION_MINUTES = 60;
const JWT_SECONDS = 300;
const MFA_FACTORS = new Set(['totp', 'recovery_codes', 'otp']);

/**
 * Finishes a login into one organization: a member session when the factors satisfy the
 * organization, otherwise an IST bound to the member with `mfa_required`.
 */
export async function completeLogin(store: EmulatorStore, record: MemberRecord, factors: AuthenticationFactor[], durationMinutes: number | undefined): Promise<LoginOutcome> {
  const organization = store.organization(record.member.organization_id);
  const hasSecondFactor = factors.some((f) => MFA_FACTORS.has(f.type));
  if (store.mfaRequiredFor(organization, record) && !hasSecondFactor) {
    const ist = store.issueIntermediate(record.member.email_address, factors, organization.organization_id, record.member.member_id);
    return {
      member_id: record.member.member_id,
      member: store.member(record),
      organization,
      session_token: '',
      session_jwt: '',
      member_authenticated: false,
      intermediate_session_token: ist.token,
      intermediate_session_token_expires_at: ist.expiresAt.toISOString(),
      mfa_required: store.mfaRequired(record),
    };
  }
  const session = startSession(store, record, factors, durationMinutes);
  return {
    member_id: record.member.member_id,
    member: store.member(record),
    organization,
    session_token: session.token,
    session_jwt: await jwtFor(store, session),
    member_authenticated: true,
    intermediate_session_token: '',
    member_session: memberSession(store, session),
  };
}

export function startSession(store: EmulatorStore, record: MemberRecord, factors: AuthenticationFactor[], durationMinutes: number | undefined): SessionRecord {
  const now = store.now();
  const session: SessionRecord = {
    id: `member-session-test-${randomUUID()}`,
    memberId: record.member.member_id,
    organizationId: record.member.organization_id,
    token: opaque(),
    startedAt: now,
    lastAccessedAt: now,
    expiresAt: store.later(durationMinutes ?? DEFAULT_SESSION_MINUTES),
    factors: clone(factors),
    revoked: false,
  };
  store.sessions.set(session.id, session);
  return session;
}

/** A live session by token or JWT; anything else (unknown, revoked, expired, bad signature) → session_not_found. */
export async function liveSession(store: EmulatorStore, input: { session_token?: unknown; session_jwt?: unknown }): Promise<SessionRecord> {
  let session: SessionRecord | undefined;
  if (typeof input.session_token === 'string' && input.session_token) {
    session = [...store.sessions.values()].find((s) => s.token === input.session_token);
  } else if (typeof input.session_jwt === 'string' && input.session_jwt) {
    const id = await store.signer.sessionIdOf(input.session_jwt);
    session = id ? store.sessions.get(id) : undefined;
  } else {
    throw badRequest('session_token or session_jwt is required');
  }
  if (!session || session.revoked || session.expiresAt <= store.now() || !store.members.has(session.memberId)) throw notFound.session();
  return session;
}

export function sessionMember(store: EmulatorStore, session: SessionRecord): MemberRecord {
  return store.record(session.organizationId, session.memberId);
}

export function memberSession(store: EmulatorStore, session: SessionRecord): MemberSession {
  const record = store.members.get(session.memberId);
  const organization = store.organizations.get(session.organizationId);
  return {
    member_session_id: session.id,
    member_id: session.memberId,
    started_at: session.startedAt.toISOString(),
    last_accessed_at: session.lastAccessedAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    authentication_factors: clone(session.factors),
    organization_id: session.organizationId,
    roles: record ? record.member.roles.map((role) => role.role_id) : [],
    organization_slug: organization?.organization_slug ?? '',
    custom_claims: {},
  };
}

/** A fresh 5-minute JWT for a session, with the member's current roles. */
export async function jwtFor(store: EmulatorStore, session: SessionRecord, issuedAt: Date = store.now(), expiresInSeconds = JWT_SECONDS): Promise<string> {
  const view = memberSession(store, session);
  return store.signer.sign({
    memberSessionId: view.member_session_id,
    memberId: view.member_id,
    organizationId: view.organization_id,
    organizationSlug: view.organization_slug,
    startedAt: view.started_at,
    lastAccessedAt: view.last_accessed_at,
    expiresAt: view.expires_at,
    authenticationFactors: view.authentication_factors,
    roles: view.roles,
    issuedAt,
    expiresInSeconds,
  });
}
