import { randomUUID } from 'node:crypto';
import type { EntityLevel } from '../../domain/access/entity-level.js';
import type { Permission } from '../../domain/access/permission.js';
import { SYSTEM_ROLES, SYSTEM_ROLE_ENTITY_LEVEL, SYSTEM_ROLE_PERMISSIONS, isSystemRole } from '../../domain/access/system-role.js';
import type { Clock } from '../../domain/shared/clock.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { OrganizationRole } from '../../domain/tenancy/organization-role.js';
import type { CustomRoleRepository } from '../ports/custom-role-repository.port.js';
import type { InvalidationBus } from '../ports/invalidation-bus.port.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';
import type { UnitOfWork } from '../ports/unit-of-work.port.js';
import type { AuditRecorder } from '../services/audit-recorder.js';
import type { AuthorizedScope, OrgContext } from '../services/org-context.js';
import type { Principal, RequestMeta } from '../services/request-meta.js';

/** A role as the API shows it: one of the four system roles, or a custom role of the organization. */
export interface RoleView {
  key: string;
  name: string;
  system: boolean;
  permissions: readonly Permission[];
  /** The level a system role confers on every entity; custom roles confer none (their `entity:*` permissions apply organization-wide). */
  entityLevel: EntityLevel | null;
  /** Null for system roles. */
  role: OrganizationRole | null;
}

const SYSTEM_ROLE_NAMES = { admin: 'Admin', manager: 'Manager', member: 'Member', viewer: 'Viewer' } as const;

/**
 * Custom roles of an organization. Reading needs `organization:read`; creating, changing and
 * deleting need `role:manage`, and the caller must hold every permission the role carries before
 * and after the change. Deleting a role unassigns it from every member. Changes run under the
 * tenant's lock, as member changes do, so a role cannot change under a concurrent assignment.
 * Changes publish `access`.
 */
export class ManageCustomRoles {
  constructor(
    private readonly deps: { orgs: OrganizationRepository; customRoles: CustomRoleRepository; context: OrgContext; uow: UnitOfWork; bus: InvalidationBus; audit: AuditRecorder; clock: Clock },
  ) {}

  /** The system roles, then the organization's custom roles (oldest first). */
  async list(principal: Principal, orgRef: string, meta: RequestMeta): Promise<RoleView[]> {
    const { org } = await this.deps.context.require(principal, orgRef, 'organization:read', meta);
    return [...SYSTEM_ROLES.map(systemRoleView), ...(await this.deps.customRoles.list(org.id)).map(customRoleView)];
  }

  async get(principal: Principal, orgRef: string, key: string, meta: RequestMeta): Promise<RoleView> {
    const { org } = await this.deps.context.require(principal, orgRef, 'organization:read', meta);
    if (isSystemRole(key)) return systemRoleView(key);
    return customRoleView(await this.find(org.id, key));
  }

  async create(principal: Principal, orgRef: string, input: { key: string; name: string; permissions: readonly string[] }, meta: RequestMeta): Promise<RoleView> {
    const scope = await this.deps.context.require(principal, orgRef, 'role:manage', meta);
    const role = OrganizationRole.create({ id: randomUUID(), tenantId: scope.org.id, ...input, now: this.deps.clock.now() });
    await this.deps.context.assertHolds(scope, role.permissions, 'role:manage', meta);
    await this.deps.uow.run(async () => {
      await this.deps.orgs.lock(scope.org.id);
      await this.deps.customRoles.save(role);
      await this.record(scope, 'role.created', role, { permissions: role.permissions.join(',') }, meta);
    });
    await this.deps.bus.publish({ topic: 'access', id: scope.org.id });
    return customRoleView(role);
  }

  async update(principal: Principal, orgRef: string, key: string, patch: { name?: string | undefined; permissions?: readonly string[] | undefined }, meta: RequestMeta): Promise<RoleView> {
    const scope = await this.writable(principal, orgRef, key, meta);
    const role = await this.find(scope.org.id, key);
    const before = role.permissions;
    // Nobody edits a role stronger than themselves, nor makes one stronger.
    await this.deps.context.assertHolds(scope, before, 'role:manage', meta);
    role.update(patch, this.deps.clock.now());
    await this.deps.context.assertHolds(scope, role.permissions, 'role:manage', meta);
    await this.deps.uow.run(async () => {
      await this.deps.orgs.lock(scope.org.id);
      await this.deps.customRoles.save(role);
      await this.record(scope, 'role.updated', role, { from: before.join(','), to: role.permissions.join(',') }, meta);
    });
    await this.deps.bus.publish({ topic: 'access', id: scope.org.id });
    return customRoleView(role);
  }

  /** Deletes the role and takes it away from every member holding it. */
  async delete(principal: Principal, orgRef: string, key: string, meta: RequestMeta): Promise<void> {
    const scope = await this.writable(principal, orgRef, key, meta);
    const role = await this.find(scope.org.id, key);
    await this.deps.context.assertHolds(scope, role.permissions, 'role:manage', meta);
    await this.deps.uow.run(async () => {
      await this.deps.orgs.lock(scope.org.id);
      if (!(await this.deps.customRoles.delete(scope.org.id, key))) throw new DomainError('ROLE_NOT_FOUND', 'Role not found');
      await this.record(scope, 'role.deleted', role, { permissions: role.permissions.join(',') }, meta);
    });
    await this.deps.bus.publish({ topic: 'access', id: scope.org.id });
  }

  private async writable(principal: Principal, orgRef: string, key: string, meta: RequestMeta): Promise<AuthorizedScope> {
    const scope = await this.deps.context.require(principal, orgRef, 'role:manage', meta);
    if (isSystemRole(key)) throw new DomainError('ACCESS_RESERVED_ROLE_KEY', 'System roles cannot be changed or deleted', { subject: key });
    return scope;
  }

  private async find(tenantId: string, key: string): Promise<OrganizationRole> {
    const role = await this.deps.customRoles.findByKey(tenantId, key);
    if (!role) throw new DomainError('ROLE_NOT_FOUND', 'Role not found');
    return role;
  }

  private record(scope: AuthorizedScope, action: 'role.created' | 'role.updated' | 'role.deleted', role: OrganizationRole, metadata: Record<string, string>, meta: RequestMeta): Promise<void> {
    return this.deps.audit.record(
      { action, tenantId: scope.org.id, actorUserId: scope.principal.userId, targetType: 'role', targetId: role.key, metadata: { name: role.name, ...metadata } },
      meta,
    );
  }
}

function systemRoleView(key: (typeof SYSTEM_ROLES)[number]): RoleView {
  return { key, name: SYSTEM_ROLE_NAMES[key], system: true, permissions: SYSTEM_ROLE_PERMISSIONS[key], entityLevel: SYSTEM_ROLE_ENTITY_LEVEL[key], role: null };
}

function customRoleView(role: OrganizationRole): RoleView {
  return { key: role.key, name: role.name, system: false, permissions: role.permissions, entityLevel: null, role };
}
