import type { Container } from 'inversify';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { Persistence } from '../../application/ports/persistence.port.js';
import { AccessViews } from '../../application/services/access-views.js';
import type { AuditRecorder } from '../../application/services/audit-recorder.js';
import { EntitlementGuard } from '../../application/services/entitlement-guard.js';
import type { OrgContext } from '../../application/services/org-context.js';
import { Authorize } from '../../application/use-cases/authorize.js';
import { ManageCustomRoles } from '../../application/use-cases/manage-custom-roles.js';
import { ManageEntities } from '../../application/use-cases/manage-entities.js';
import { ManageEntityGrants } from '../../application/use-cases/manage-entity-grants.js';
import type { Clock } from '../../domain/shared/clock.js';
import { T } from './tokens.js';

/** The access-control use cases the HTTP adapter calls. */
export interface AccessUseCases {
  roles: ManageCustomRoles;
  entities: ManageEntities;
  grants: ManageEntityGrants;
  authorize: Authorize;
}

/**
 * Access control: the per-organization access view cache (one per process, invalidated through
 * the bus) and the use cases for custom roles, entities, grants and the decision API.
 */
export function bindAccess(c: Container): void {
  c.bind<EntitlementGuard>(T.EntitlementGuard).toResolvedValue(
    (p: Persistence) => new EntitlementGuard({ orgs: p.orgs, entities: p.entities, memberships: p.memberships }),
    [T.Persistence],
  );
  c.bind<AccessViews>(T.AccessViews).toResolvedValue(
    (p: Persistence, bus: InvalidationBus) => new AccessViews({ snapshots: p.accessSnapshots, entities: p.entities, bus }),
    [T.Persistence, T.Bus],
  );
  c.bind<AccessUseCases>(T.AccessUseCases).toResolvedValue(
    (p: Persistence, context: OrgContext, views: AccessViews, bus: InvalidationBus, audit: AuditRecorder, clock: Clock, entitlements: EntitlementGuard): AccessUseCases => ({
      roles: new ManageCustomRoles({ orgs: p.orgs, customRoles: p.customRoles, context, uow: p.uow, bus, audit, clock }),
      entities: new ManageEntities({ entities: p.entities, context, uow: p.uow, bus, audit, clock, entitlements }),
      grants: new ManageEntityGrants({ grants: p.entityGrants, memberships: p.memberships, context, uow: p.uow, bus, audit, clock }),
      authorize: new Authorize({ context, views }),
    }),
    [T.Persistence, T.OrgContext, T.AccessViews, T.Bus, T.Audit, T.Clock, T.EntitlementGuard],
  );
}
