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
import type { SvixWebhookVerifier } from '../../adapters/identity/stytch/svix-webhook-verifier.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config/config.schema.js';
import { stytchWebhooksConfigured } from './stytch-config.js';
import { T } from './tokens.js';

/**
 * The Svix verifier's module (and through it the `svix` package), loaded by createGatehouse
 * (optional-adapters.ts) only when Stytch's webhooks are received.
 */
export type SvixAdapter = { SvixWebhookVerifier: typeof SvixWebhookVerifier };

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
export function bindIdentityWebhooks(c: Container, config: Config, svix: SvixAdapter | undefined): void {
  if (stytchWebhooksConfigured(config) && !svix) throw new Error('IDENTITY_PROVIDER=stytch needs the Svix webhook verifier (createGatehouse loads it)');
  const roleMap = parseRoleMap(config.STYTCH_ROLE_MAP);
  c.bind<RoleOf>(T.StytchRoleOf).toConstantValue((stytchRoleIds) => gatehouseRoleOf(roleMap, stytchRoleIds));
  c.bind<IdentityMirror>(T.IdentityMirror).toResolvedValue(
    (p: Persistence, bus: InvalidationBus, audit: AuditRecorder, clock: Clock) =>
      new IdentityMirror({ orgs: p.orgs, users: p.users, memberships: p.memberships, sessions: p.sessions, links: p.identityLinks, uow: p.uow, bus, audit, clock }),
    [T.Persistence, T.Bus, T.Audit, T.Clock],
  );
  c.bind<IdentityWebhookUseCases>(T.IdentityWebhookUseCases).toResolvedValue(
    (p: Persistence, mirror: IdentityMirror, roleOf: RoleOf, bus: InvalidationBus, clock: Clock): IdentityWebhookUseCases => ({
      identityWebhook: new ReceiveIdentityWebhook({ source: stytchWebhooks(config, roleOf, svix), ledger: p.identityEvents, mirror, uow: p.uow, bus, clock }),
    }),
    [T.Persistence, T.IdentityMirror, T.StytchRoleOf, T.Bus, T.Clock],
  );
}

/** Stytch's webhooks through Svix, when Stytch is the identity provider (load-config requires the secrets then). */
function stytchWebhooks(config: Config, roleOf: RoleOf, svix: SvixAdapter | undefined): IdentityWebhookSource | null {
  if (!stytchWebhooksConfigured(config) || !svix) return null;
  const settings = { projectId: config.STYTCH_PROJECT_ID, roleOf };
  return new svix.SvixWebhookVerifier({ secret: config.STYTCH_WEBHOOK_SECRET, translate: (body) => translateStytchWebhook(body, settings) });
}
