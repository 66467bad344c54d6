import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { AuthenticationFactor } from 'stytch';
import { notFound, otpCodeNotFound, StytchFailure } from './errors.js';
import { route, type Route, type RouteContext } from './router.js';
import { jwtFor, liveSession, memberSession, startSession } from './sessions.js';
import type { EmulatorStore, IntermediateRecord, MemberRecord, SessionRecord, TotpRegistration } from './store.js';
import { matchTotp, newRecoveryCodes, newTotpSecret } from './totp.js';

/** totps.* and recoveryCodes.*: the second factor, completing an IST or stepping up a session. */
export function mfaRoutes(store: EmulatorStore): Route[] {
  const memberOf = (ctx: RouteContext) => store.record(ctx.text('organization_id'), ctx.text('member_id'));
  const registrationOf = (record: MemberRecord): TotpRegistration => {
    if (!record.totp) throw notFound.totp();
    return record.totp;
  };

  /** Where a second factor goes: an IST, a live session, or nothing (the code is only checked). */
  type Target = { ist: IntermediateRecord } | { session: SessionRecord } | { none: true };

  /**
   * Where a second factor goes: the IST (which must belong to this member) becomes a new
   * session, or the session named by session_token/JWT gains the factor; with neither, Stytch
   * only checks the code. Resolved before the code is burnt, so a bad token does not use up a
   * good code.
   */
  const targetOf = async (ctx: RouteContext, record: MemberRecord): Promise<Target> => {
    const istToken = ctx.optionalText('intermediate_session_token');
    if (istToken) {
      const ist = store.intermediate(istToken, false);
      const sameMember = ist.memberId ? ist.memberId === record.member.member_id : ist.emailAddress === record.member.email_address;
      if (!sameMember) throw notFound.intermediateSession();
      return { ist };
    }
    if (ctx.body['session_token'] || ctx.body['session_jwt']) {
      const session = await liveSession(store, ctx.body);
      if (session.memberId !== record.member.member_id) throw notFound.session();
      return { session };
    }
    // Neither: Stytch only checks the code and answers without a session (empty tokens).
    return { none: true };
  };

  const grant = async (ctx: RouteContext, record: MemberRecord, target: Target, factor: AuthenticationFactor) => {
    const base = { member_id: record.member.member_id, member: store.member(record), organization: store.organization(record.member.organization_id) };
    if ('none' in target) return { ...base, session_token: '', session_jwt: '' };
    let session: SessionRecord;
    if ('ist' in target) {
      store.intermediate(target.ist.token, true);
      if (record.member.status !== 'active') store.changeMember(record, { status: 'active' });
      session = startSession(store, record, [...target.ist.factors, factor], ctx.optionalNumber('session_duration_minutes'));
    } else {
      session = target.session;
      session.factors = [...session.factors.filter((f) => f.type !== factor.type), factor];
      session.lastAccessedAt = store.now();
    }
    return {
      ...base,
      member: store.member(record),
      session_token: session.token,
      session_jwt: await jwtFor(store, session),
      member_session: memberSession(store, session),
    };
  };

  return [
    route('POST', '/v1/b2b/totp', 'B2BTOTPsCreateResponse', async (ctx) => {
      const record = memberOf(ctx);
      const istToken = ctx.optionalText('intermediate_session_token');
      if (istToken) store.intermediate(istToken, false);
      else if (ctx.body['session_token'] || ctx.body['session_jwt']) await liveSession(store, ctx.body);
      if (record.totp?.verified) throw new StytchFailure(400, 'active_totp_exists', 'The member already has an active TOTP registration.');
      const organization = store.organization(record.member.organization_id);
      // An unverified registration is replaced, so an abandoned enrolment can start over.
      const registration: TotpRegistration = { id: `member-totp-test-${randomUUID()}`, secret: newTotpSecret(), verified: false, recoveryCodes: newRecoveryCodes(), lastUsedStep: -1 };
      record.totp = registration;
      const label = encodeURIComponent(`${organization.organization_name}:${record.member.email_address}`);
      const qr_code = await QRCode.toDataURL(`otpauth://totp/${label}?secret=${registration.secret}&issuer=${encodeURIComponent(organization.organization_name)}`);
      return {
        ...ctx.ok,
        member_id: record.member.member_id,
        totp_registration_id: registration.id,
        secret: registration.secret,
        qr_code,
        recovery_codes: [...registration.recoveryCodes],
        member: store.member(record),
        organization,
      };
    }),
    route('POST', '/v1/b2b/totp/authenticate', 'B2BTOTPsAuthenticateResponse', async (ctx) => {
      const record = memberOf(ctx);
      const registration = registrationOf(record);
      const step = matchTotp(registration.secret, ctx.text('code'), store.now());
      if (step === null || step <= registration.lastUsedStep) throw otpCodeNotFound();
      const target = await targetOf(ctx, record);
      registration.lastUsedStep = step;
      if (!registration.verified) {
        registration.verified = true;
        store.changeMember(record, { totp_registration_id: registration.id });
      }
      if (ctx.body['set_mfa_enrollment'] === 'enroll') store.changeMember(record, { mfa_enrolled: true });
      if (ctx.body['set_mfa_enrollment'] === 'unenroll') store.changeMember(record, { mfa_enrolled: false });
      if (ctx.body['set_default_mfa'] === true) store.changeMember(record, { default_mfa_method: 'totp' });
      const factor = store.factor('totp', 'authenticator_app', { authenticator_app_factor: { totp_id: registration.id } });
      return { ...ctx.ok, ...(await grant(ctx, record, target, factor)) };
    }),
    route('POST', '/v1/b2b/recovery_codes/recover', 'B2BRecoveryCodesRecoverResponse', async (ctx) => {
      const record = memberOf(ctx);
      const registration = registrationOf(record);
      const code = ctx.text('recovery_code');
      const index = registration.recoveryCodes.indexOf(code);
      if (index < 0) throw otpCodeNotFound();
      const target = await targetOf(ctx, record);
      registration.recoveryCodes.splice(index, 1); // single use: burnt before the session is granted
      const factor = store.factor('recovery_codes', 'recovery_code', { recovery_code_factor: { totp_recovery_code_id: `totp-recovery-code-test-${randomUUID()}` } });
      return { ...ctx.ok, ...(await grant(ctx, record, target, factor)), recovery_codes_remaining: registration.recoveryCodes.length };
    }),
    route('GET', '/v1/b2b/recovery_codes/:organization_id/:member_id', 'B2BRecoveryCodesGetResponse', (ctx) => {
      const record = memberOf(ctx);
      const registration = registrationOf(record);
      return { ...ctx.ok, member_id: record.member.member_id, member: store.member(record), organization: store.organization(record.member.organization_id), recovery_codes: [...registration.recoveryCodes] };
    }),
    route('POST', '/v1/b2b/recovery_codes/rotate', 'B2BRecoveryCodesRotateResponse', (ctx) => {
      const record = memberOf(ctx);
      const registration = registrationOf(record);
      registration.recoveryCodes = newRecoveryCodes();
      return { ...ctx.ok, member_id: record.member.member_id, member: store.member(record), organization: store.organization(record.member.organization_id), recovery_codes: [...registration.recoveryCodes] };
    }),
  ];
}
