import type { Container } from 'inversify';
import type { B2BClient } from 'stytch';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import { ExternalMemberResolver, type MemberMirror } from '../../application/services/external-member-resolver.js';
import type { ExternalSessions } from '../../application/use-cases/authenticate-request.js';
import type { RoleOf } from '../../adapters/identity/stytch/stytch-objects.js';
import { StytchSessionVerifier } from '../../adapters/identity/stytch/stytch-session-verifier.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { StytchConfig } from './stytch-config.js';
import { T } from './tokens.js';

/**
 * Stytch mode: Stytch session JWTs are accepted as Bearer tokens next to Gatehouse's own
 * (AuthenticateRequest), verified with the process's one Stytch client (its cached JWKS) and
 * resolved to local members through the identity mirror. Not bound with the built-in provider,
 * where AuthenticateRequest gets no external verifier at all.
 */
export function bindExternalSessions(c: Container, config: StytchConfig): void {
  c.bind<ExternalSessions>(T.ExternalSessions).toResolvedValue(
    (p: Persistence, client: B2BClient, roleOf: RoleOf, mirror: MemberMirror, bus: InvalidationBus, clock: Clock): ExternalSessions => {
      const verifier = new StytchSessionVerifier({ client, roleOf, clock }, { projectId: config.STYTCH_PROJECT_ID, apiUrl: config.STYTCH_API_URL });
      return { verifier, members: new ExternalMemberResolver({ links: p.identityLinks, memberships: p.memberships, provider: verifier, mirror, bus, clock }) };
    },
    [T.Persistence, T.StytchClient, T.StytchRoleOf, T.IdentityMirror, T.Bus, T.Clock],
  );
}
