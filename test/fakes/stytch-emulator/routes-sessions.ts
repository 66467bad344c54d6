import type { AuthenticationFactor } from 'stytch';
import { badRequest, notFound } from './errors.js';
import { route, type Route } from './router.js';
import { completeLogin, jwtFor, liveSession, memberSession, sessionMember } from './sessions.js';
import type { EmulatorStore, MemberRecord, SessionRecord } from './store.js';

const transferable = (factor: AuthenticationFactor): boolean =>
  factor.type === 'magic_link' || factor.type === 'oauth' || factor.delivery_method.startsWith('oauth_') || (factor.type === 'otp' && factor.delivery_method === 'sms');

/** sessions.*: authenticate (refreshes the JWT), get, revoke, exchange (switch organization) and the JWKS. */
export function sessionRoutes(store: EmulatorStore, projectId: string): Route[] {
  return [
    route('POST', '/v1/b2b/sessions/authenticate', 'B2BSessionsAuthenticateResponse', async (ctx) => {
      if (ctx.body['session_token'] && ctx.body['session_jwt']) throw badRequest('pass session_token or session_jwt, not both');
      const session = await liveSession(store, ctx.body);
      const minutes = ctx.optionalNumber('session_duration_minutes');
      session.lastAccessedAt = store.now();
      if (minutes !== undefined) session.expiresAt = new Date(store.now().getTime() + minutes * 60_000);
      const record = sessionMember(store, session);
      return {
        ...ctx.ok,
        member_session: memberSession(store, session),
        session_token: session.token,
        session_jwt: await jwtFor(store, session),
        member: store.member(record),
        organization: store.organization(session.organizationId),
      };
    }),
    route('GET', '/v1/b2b/sessions', 'B2BSessionsGetResponse', (ctx) => {
      const record = store.record(ctx.text('organization_id'), ctx.text('member_id'));
      const now = store.now();
      const live = [...store.sessions.values()].filter((s) => s.memberId === record.member.member_id && !s.revoked && s.expiresAt > now);
      return { ...ctx.ok, member_sessions: live.map((s) => memberSession(store, s)) };
    }),
    route('POST', '/v1/b2b/sessions/revoke', 'B2BSessionsRevokeResponse', async (ctx) => {
      const memberSessionId = ctx.optionalText('member_session_id');
      const memberId = ctx.optionalText('member_id');
      let targets: SessionRecord[];
      if (memberSessionId) {
        const session = store.sessions.get(memberSessionId);
        if (!session) throw notFound.session();
        targets = [session];
      } else if (memberId) {
        if (!store.members.has(memberId)) throw notFound.member();
        targets = [...store.sessions.values()].filter((s) => s.memberId === memberId);
      } else {
        targets = [await liveSession(store, ctx.body)];
      }
      for (const session of targets) session.revoked = true;
      return { ...ctx.ok };
    }),
    route('POST', '/v1/b2b/sessions/exchange', 'B2BSessionsExchangeResponse', async (ctx) => {
      const organizationId = ctx.text('organization_id');
      const session = await liveSession(store, ctx.body);
      const email = sessionMember(store, session).member.email_address;
      store.organization(organizationId);
      const record: MemberRecord | null = store.recordByEmail(organizationId, email);
      // Switching accepts an invite but never creates a member by email domain (Stytch: use the IST exchange for JIT).
      if (!record || !['active', 'invited', 'pending'].includes(record.member.status)) throw notFound.member();
      // Stytch carries only email magic link, OAuth and SMS OTP factors across; a password or TOTP must be proven again.
      const carried = session.factors.filter(transferable);
      if (carried.length === 0) {
        const ist = store.issueIntermediate(email, [], organizationId, record.member.member_id);
        return {
          ...ctx.ok,
          member_id: record.member.member_id,
          member: store.member(record),
          organization: store.organization(organizationId),
          session_token: '',
          session_jwt: '',
          member_authenticated: false,
          intermediate_session_token: ist.token,
          intermediate_session_token_expires_at: ist.expiresAt.toISOString(),
          primary_required: { allowed_auth_methods: ['magic_link', 'password'] },
        };
      }
      if (record.member.status !== 'active') store.changeMember(record, { status: 'active' });
      const outcome = await completeLogin(store, record, carried, ctx.optionalNumber('session_duration_minutes'));
      return { ...ctx.ok, ...outcome };
    }),
    route('GET', `/v1/b2b/sessions/jwks/:project_id`, 'B2BSessionsGetJWKSResponse', (ctx) => {
      if (ctx.text('project_id') !== projectId) throw notFound.session();
      return { ...ctx.ok, keys: store.signer.jwks() };
    }),
  ];
}
