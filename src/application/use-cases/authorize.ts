import { decide } from '../../domain/access/decide.js';
import type { DecisionReason } from '../../domain/access/decision.js';
import type { EntityLevel } from '../../domain/access/entity-level.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { AccessViews } from '../services/access-views.js';
import type { OrgContext } from '../services/org-context.js';
import type { Principal } from '../services/request-meta.js';

/** One question: may the caller do `action` (a catalogued permission), on `entity` if given? */
export interface AuthorizationCheck {
  action: string;
  entity?: string | undefined;
}

/** The answer; `entity_not_found` when the entity is not one of the organization's (batch only). */
export interface AuthorizationAnswer {
  allowed: boolean;
  level: EntityLevel | null;
  reason: DecisionReason | 'entity_not_found';
}

/**
 * The decision API for relying apps: "may this user do X" in the organization of the caller's
 * token. Answers come from the cached access view of that organization (`decide`); the only
 * reads are the organization and membership (as for every request) and, for an entity not
 * seen before, whether it belongs to the organization. A "no" is an answer, not a refused
 * request: it is not audited.
 */
export class Authorize {
  constructor(private readonly deps: { context: OrgContext; views: AccessViews }) {}

  /** One check; an entity of another organization (or none) is ENTITY_NOT_FOUND. */
  async one(principal: Principal, check: AuthorizationCheck): Promise<AuthorizationAnswer> {
    const [answer] = await this.many(principal, [check]);
    if (!answer || answer.reason === 'entity_not_found') throw new DomainError('ENTITY_NOT_FOUND', 'Entity not found');
    return answer;
  }

  /** Several checks, answered in order, all against the same view. */
  async many(principal: Principal, checks: readonly AuthorizationCheck[]): Promise<AuthorizationAnswer[]> {
    if (principal.tenantId === null) throw new DomainError('TENANT_NOT_FOUND', 'This token names no organization; sign in to one or switch organization first');
    const scope = await this.deps.context.resolve(principal, principal.tenantId);
    const { view } = await this.deps.context.access(scope);
    const owned = new Map<string, boolean>();
    const answers: AuthorizationAnswer[] = [];
    for (const check of checks) {
      if (check.entity !== undefined) {
        let belongs = owned.get(check.entity);
        if (belongs === undefined) {
          belongs = await this.deps.views.ownsEntity(scope.org.id, check.entity);
          owned.set(check.entity, belongs);
        }
        if (!belongs) {
          answers.push({ allowed: false, level: null, reason: 'entity_not_found' });
          continue;
        }
      }
      const { allowed, level, reason } = decide(view, scope.membership.id, check.action, check.entity);
      answers.push({ allowed, level, reason });
    }
    return answers;
  }
}
