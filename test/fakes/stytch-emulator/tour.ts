import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { B2BClient } from 'stytch';
import type { StytchEmulator } from '../stytch-emulator.js';

/**
 * Calls every endpoint the emulator implements once, successfully, through the real SDK, so
 * the recorded responses can be checked against the SDK's type definitions
 * (test/adapters/identity/stytch-emulator-types.test.ts). Mutates the emulator's state.
 */
export async function tourEveryEndpoint(stytch: B2BClient, emulator: StytchEmulator): Promise<void> {
  // organizations and members
  const { organization } = await stytch.organizations.create({ organization_name: 'Tour', organization_slug: 'tour', email_allowed_domains: ['tour.test'], email_jit_provisioning: 'RESTRICTED' });
  const orgId = organization.organization_id;
  await stytch.organizations.get({ organization_id: orgId });
  await stytch.organizations.update({ organization_id: orgId, organization_name: 'Tour Co' });
  await stytch.organizations.search({});
  const { member_id: temporaryId } = await stytch.organizations.members.create({ organization_id: orgId, email_address: 'temp@tour.test' });
  await stytch.organizations.members.get({ organization_id: orgId, member_id: temporaryId });
  await stytch.organizations.members.update({ organization_id: orgId, member_id: temporaryId, name: 'Temp' });
  await stytch.organizations.members.search({ organization_ids: [orgId] });
  await stytch.organizations.members.delete({ organization_id: orgId, member_id: temporaryId });

  // discovery by magic link, into the org by email domain, and a new org
  await stytch.magicLinks.email.discovery.send({ email_address: 'ada@tour.test' });
  const discovery = await stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: token(emulator.lastMagicLinkToken('ada@tour.test')) });
  await stytch.discovery.organizations.list({ intermediate_session_token: discovery.intermediate_session_token });
  const joined = await stytch.discovery.intermediateSessions.exchange({ intermediate_session_token: discovery.intermediate_session_token, organization_id: orgId });
  await stytch.magicLinks.email.discovery.send({ email_address: 'ada@tour.test' });
  const second = await stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: token(emulator.lastMagicLinkToken('ada@tour.test')) });
  const created = await stytch.discovery.organizations.create({ intermediate_session_token: second.intermediate_session_token, organization_name: 'Tour Two', organization_slug: 'tour-two' });

  // invites
  const invite = await stytch.magicLinks.email.invite({ organization_id: orgId, email_address: 'bob@tour.test' });
  await stytch.magicLinks.authenticate({ magic_links_token: token(emulator.lastMagicLinkToken('bob@tour.test')) });

  // passwords
  await stytch.passwords.email.resetStart({ organization_id: orgId, email_address: 'bob@tour.test' });
  await stytch.passwords.email.reset({ password_reset_token: token(emulator.lastPasswordResetToken('bob@tour.test')), password: 'tour-password-1' });
  await stytch.passwords.authenticate({ organization_id: orgId, email_address: 'bob@tour.test', password: 'tour-password-1' });
  const salt = randomBytes(16);
  const hash = scryptSync('tour-password-3', salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64');
  await stytch.passwords.migrate({ email_address: 'bob@tour.test', organization_id: orgId, hash_type: 'scrypt', hash, scrypt_config: { salt: salt.toString('base64'), n_parameter: 1024, r_parameter: 8, p_parameter: 1, key_length: 32 } });
  await stytch.passwords.discovery.email.resetStart({ email_address: 'bob@tour.test' });
  await stytch.passwords.discovery.email.reset({ password_reset_token: token(emulator.lastPasswordResetToken('bob@tour.test')), password: 'tour-password-2' });
  const bobDiscovery = await stytch.passwords.discovery.authenticate({ email_address: 'bob@tour.test', password: 'tour-password-2' });
  const bob = await stytch.discovery.intermediateSessions.exchange({ intermediate_session_token: bobDiscovery.intermediate_session_token, organization_id: orgId });

  // TOTP and recovery codes (stepping up Bob's session)
  const totp = await stytch.totps.create({ organization_id: orgId, member_id: invite.member_id, session_token: bob.session_token });
  await stytch.totps.authenticate({ organization_id: orgId, member_id: invite.member_id, code: emulator.totpCode(orgId, invite.member_id), session_token: bob.session_token });
  await stytch.recoveryCodes.recover({ organization_id: orgId, member_id: invite.member_id, recovery_code: totp.recovery_codes[0] ?? '', session_token: bob.session_token });
  await stytch.recoveryCodes.get({ organization_id: orgId, member_id: invite.member_id });
  await stytch.recoveryCodes.rotate({ organization_id: orgId, member_id: invite.member_id });
  await stytch.organizations.members.deleteTOTP({ organization_id: orgId, member_id: invite.member_id });

  // sessions
  await stytch.sessions.authenticate({ session_token: joined.session_token });
  await stytch.sessions.get({ organization_id: orgId, member_id: joined.member_id });
  await stytch.sessions.exchange({ organization_id: created.organization.organization_id, session_token: joined.session_token });
  await stytch.sessions.getJWKS({ project_id: emulator.projectId });
  await stytch.sessions.authenticateJwtLocal({ session_jwt: joined.session_jwt });
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const profile_id = emulator.addTrustedAuthTokenProfile({ issuer: 'tour', audience: 'stytch', publicJwk: { ...(await exportJWK(publicKey)), alg: 'ES256' } });
  const trusted = await new SignJWT({ email: 'ada@tour.test', jti: randomUUID() }).setProtectedHeader({ alg: 'ES256' }).setIssuer('tour').setAudience('stytch').setExpirationTime('1m').sign(privateKey);
  await stytch.sessions.attest({ profile_id, token: trusted, organization_id: orgId });
  await stytch.rbac.policy();
  await stytch.rbac.organizations.getOrgPolicy({ organization_id: orgId });
  await stytch.sessions.revoke({ session_token: joined.session_token });
  await stytch.organizations.delete({ organization_id: created.organization.organization_id });
}

function token(value: string | null): string {
  if (!value) throw new Error('the emulator recorded no token');
  return value;
}
