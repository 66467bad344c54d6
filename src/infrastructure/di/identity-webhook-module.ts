import type { Container } from 'inversify';
import type { IdentityWebhookSource } from '../../application/ports/identity-webhook-source.port.js';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import type { AuditRecorder } from '../../application/services/audit-recorder.js';
import { IdentityMirror } from '../../application/services/identity-mirror.js';
import { ReceiveIdentityWebhook } from '../../application/use-cases/receive-identity-webhook.js';
import type { RoleOf } from '../../adapters/identity/stytch/stytch-objects.js';
import { gatehouseRoleOf, parseRoleMap } from '../../adapters/identity/stytch/stytch-role-map.js';
import { translateStytchWebhook } from '../../adapters/identity/stytch/stytch-webhook-translator.js';
import { SvixWebhookVerifier } from '../../adapters/identity/stytch/svix-webhook-verifier.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config/config.schema.js';
import { T } from './tokens.js';

/** The webhook use case the HTTP adapter calls. */
export interface IdentityWebhookUseCases {
  identityWebhook: ReceiveIdentityWebhook;
}

/**
 * The identity mirror and the Stytch role map (T.IdentityMirror, T.StytchRoleOf: the Stytch identity
 * provider and the external sessions use them too), and the Stytch webhook. Independent of which
 * IdentityProvider is bound: the webhook needs only the store, the bus and the Svix secret. With
 * IDENTITY_PROVIDER=builtin there is no source, and the route answers IDENTITY_NOT_CONFIGURED (501).
 */
export function bindIdentityWebhooks(c: Container, config: Config): void {
  const roleMap = parseRoleMap(config.STYTCH_ROLE_MAP);
  c.bind<RoleOf>(T.StytchRoleOf).toConstantValue((stytchRoleIds) => gatehouseRoleOf(roleMap, stytchRoleIds));
  c.bind<IdentityMirror>(T.IdentityMirror).toResolvedValue(
    (p: Persistence, bus: InvalidationBus, audit: AuditRecorder, clock: Clock) =>
      new IdentityMirror({ orgs: p.orgs, users: p.users, memberships: p.memberships, sessions: p.sessions, links: p.identityLinks, uow: p.uow, bus, audit, clock }),
    [T.Persistence, T.Bus, T.Audit, T.Clock],
  );
  c.bind<IdentityWebhookUseCases>(T.IdentityWebhookUseCases).toResolvedValue(
    (p: Persistence, mirror: IdentityMirror, roleOf: RoleOf, bus: InvalidationBus, clock: Clock): IdentityWebhookUseCases => ({
      identityWebhook: new ReceiveIdentityWebhook({ source: stytchWebhooks(config, roleOf), ledger: p.identityEvents, mirror, uow: p.uow, bus, clock }),
    }),
    [T.Persistence, T.IdentityMirror, T.StytchRoleOf, T.Bus, T.Clock],
  );
}

/** Stytch's webhooks through Svix, when Stytch is the identity provider (load-config requires the secrets then). */
function stytchWebhooks(config: Config, roleOf: RoleOf): IdentityWebhookSource | null {
  if (config.IDENTITY_PROVIDER !== 'stytch' || !config.STYTCH_PROJECT_ID || !config.STYTCH_WEBHOOK_SECRET) return null;
  const settings = { projectId: config.STYTCH_PROJECT_ID, roleOf };
  return new SvixWebhookVerifier({ secret: config.STYTCH_WEBHOOK_SECRET, translate: (body) => translateStytchWebhook(body, settings) });
}
