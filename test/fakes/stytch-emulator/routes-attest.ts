import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { notFound, StytchFailure } from './errors.js';
import { route, type Route } from './router.js';
import { jwtFor, liveSession, memberSession, startSession } from './sessions.js';
import type { EmulatorStore, SessionRecord } from './store.js';

/** A Trusted Auth Token profile as configured in the Stytch dashboard. */
export interface TrustedAuthTokenProfileInput {
  profileId?: string;
  issuer: string;
  audience: string;
  /** Where Stytch fetches the issuer's keys; or give `publicJwk`. */
  jwksUrl?: string;
  publicJwk?: JWK;
  /** Claim names for email, token id (replay protection) and organization; defaults `email`, `jti`, `organization_id`. */
  attributeMapping?: { email?: string; tokenId?: string; organizationId?: string };
}

interface TrustedProfile {
  id: string;
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
  mapping: { email: string; tokenId: string; organizationId: string };
}

/**
 * sessions.attest: a JWT issued by a trusted party (Gatehouse, after a passkey ceremony) becomes
 * a Stytch member session, or a factor added to an existing one. Each token id works once.
 */
export class TrustedAuthTokens {
  private readonly profiles = new Map<string, TrustedProfile>();
  private readonly usedTokenIds = new Set<string>();

  add(input: TrustedAuthTokenProfileInput): string {
    const id = input.profileId ?? `trusted-auth-token-profile-test-${randomUUID()}`;
    const keys = input.jwksUrl ? createRemoteJWKSet(new URL(input.jwksUrl)) : input.publicJwk ? createLocalJWKSet({ keys: [input.publicJwk] }) : null;
    if (!keys) throw new Error('a trusted auth token profile needs jwksUrl or publicJwk');
    const mapping = { email: input.attributeMapping?.email ?? 'email', tokenId: input.attributeMapping?.tokenId ?? 'jti', organizationId: input.attributeMapping?.organizationId ?? 'organization_id' };
    this.profiles.set(id, { id, issuer: input.issuer, audience: input.audience, keys, mapping });
    return id;
  }

  reset(): void {
    this.profiles.clear();
    this.usedTokenIds.clear();
  }

  routes(store: EmulatorStore): Route[] {
    return [
      route('POST', '/v1/b2b/sessions/attest', 'B2BSessionsAttestResponse', async (ctx) => {
        const profile = this.profiles.get(ctx.text('profile_id'));
        if (!profile) throw new StytchFailure(404, 'trusted_auth_token_profile_not_found', 'Trusted auth token profile could not be found.');
        let claims: Record<string, unknown>;
        try {
          ({ payload: claims } = await jwtVerify(ctx.text('token'), profile.keys, { issuer: profile.issuer, audience: profile.audience, currentDate: store.now() }));
        } catch {
          throw new StytchFailure(401, 'unauthorized_credentials', 'The trusted auth token could not be verified.');
        }
        const email = claims[profile.mapping.email];
        const tokenId = claims[profile.mapping.tokenId];
        if (typeof email !== 'string' || typeof tokenId !== 'string') throw new StytchFailure(400, 'bad_request', 'The token lacks the mapped email or token id claim.');
        const claimedOrganization = claims[profile.mapping.organizationId];
        const organizationId = ctx.optionalText('organization_id') ?? (typeof claimedOrganization === 'string' ? claimedOrganization : undefined);
        if (!organizationId) throw new StytchFailure(400, 'bad_request', 'organization_id is required when the token names no organization.');
        store.organization(organizationId);
        const record = store.recordByEmail(organizationId, email);
        if (!record || !['active', 'invited'].includes(record.member.status)) throw notFound.member();
        let existing: SessionRecord | null = null;
        if (ctx.body['session_token'] || ctx.body['session_jwt']) {
          existing = await liveSession(store, ctx.body);
          if (existing.memberId !== record.member.member_id) throw notFound.session();
        }
        if (this.usedTokenIds.has(`${profile.id}:${tokenId}`)) throw new StytchFailure(400, 'trusted_auth_token_already_used', 'This trusted auth token was already used.');
        this.usedTokenIds.add(`${profile.id}:${tokenId}`); // burnt before the session is granted
        const factor = store.factor('trusted_auth_token', 'trusted_token_exchange', { trusted_auth_token_factor: { token_id: tokenId } });
        if (record.member.status !== 'active') store.changeMember(record, { status: 'active' });
        let session: SessionRecord;
        if (existing) {
          session = existing;
          session.factors = [...session.factors, factor];
          session.lastAccessedAt = store.now();
        } else {
          session = startSession(store, record, [factor], ctx.optionalNumber('session_duration_minutes'));
        }
        return {
          ...ctx.ok,
          member_id: record.member.member_id,
          member_session: memberSession(store, session),
          session_token: session.token,
          session_jwt: await jwtFor(store, session),
          member: store.member(record),
          organization: store.organization(organizationId),
        };
      }),
    ];
  }
}
