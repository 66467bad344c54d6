import type { Container } from 'inversify';
import type { B2BClient } from 'stytch';
import type { IdentityProvider } from '../../application/ports/identity-provider.port.js';
import type { PasswordBlocklist } from '../../application/ports/password-blocklist.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { AuthSettings } from '../../application/services/auth-settings.js';
import { createStytchClient } from '../../adapters/identity/stytch/stytch-client.js';
import { StytchIdentityProvider, type StytchMirror } from '../../adapters/identity/stytch/stytch-identity-provider.js';
import type { RoleOf } from '../../adapters/identity/stytch/stytch-objects.js';
import { StytchSessionHandleCodec } from '../../adapters/identity/stytch/stytch-session-handle.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { IdentityDirectory } from '../../application/ports/identity-directory.port.js';
import { StytchDirectory } from '../../adapters/identity/stytch/stytch-directory.js';
import { parseRoleMap } from '../../adapters/identity/stytch/stytch-role-map.js';
import { bindExternalSessions } from './external-session-module.js';
import type { StytchConfig } from './stytch-config.js';
import { T } from './tokens.js';

/**
 * Everything Stytch mode adds to the container. This module (and through it the `stytch` SDK and
 * undici, ~30 MiB of RSS) is imported only when IDENTITY_PROVIDER=stytch: createGatehouse loads it
 * with a dynamic import and hands it to buildContainer.
 */
export function bindStytch(c: Container, config: StytchConfig): void {
  bindStytchIdentity(c, config);
  const roleMap = parseRoleMap(config.STYTCH_ROLE_MAP);
  c.bind<IdentityDirectory>(T.IdentityDirectory).toResolvedValue(
    (p: Persistence, client: B2BClient) => new StytchDirectory({ client, links: p.identityLinks, roleMap }),
    [T.Persistence, T.StytchClient],
  );
  bindExternalSessions(c, config);
}

/**
 * Stytch mode: one SDK client for the process (its JWKS cache and keep-alive connections are
 * shared), the codec that seals Stytch session handles, and the identity provider over them.
 * The mirror and the role map are bound next to the webhook receiver that also uses them.
 */
function bindStytchIdentity(c: Container, config: StytchConfig): void {
  c.bind<B2BClient>(T.StytchClient).toConstantValue(
    createStytchClient({ projectId: config.STYTCH_PROJECT_ID, secret: config.STYTCH_SECRET, apiUrl: config.STYTCH_API_URL, timeoutMs: config.STYTCH_TIMEOUT_MS }),
  );
  c.bind<StytchSessionHandleCodec>(T.StytchHandles).toConstantValue(new StytchSessionHandleCodec(config.STYTCH_SECRET));
  c.bind<IdentityProvider>(T.IdentityProvider).toResolvedValue(
    (p: Persistence, client: B2BClient, handles: StytchSessionHandleCodec, mirror: StytchMirror, roleOf: RoleOf, blocklist: PasswordBlocklist, clock: Clock, settings: AuthSettings) =>
      new StytchIdentityProvider({
        client,
        handles,
        users: p.users,
        memberships: p.memberships,
        links: p.identityLinks,
        mirror,
        roleOf,
        clock,
        isCommonPassword: (password) => blocklist.isCommon(password),
        settings: {
          publicUrl: config.PUBLIC_URL,
          passwordPolicy: settings.passwordPolicy,
          allowedRedirectOrigins: [new URL(config.PUBLIC_URL).origin, ...config.CORS_ORIGINS],
          sessionDurationMinutes: Math.ceil(config.SESSION_ABSOLUTE_LIFETIME_SECONDS / 60),
        },
      }),
    [T.Persistence, T.StytchClient, T.StytchHandles, T.IdentityMirror, T.StytchRoleOf, T.PasswordBlocklist, T.Clock, T.AuthSettings],
  );
}
