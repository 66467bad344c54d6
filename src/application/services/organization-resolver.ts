import { DomainError } from '../../domain/shared/domain-error.js';
import type { Organization } from '../../domain/tenancy/organization.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';

/** Looks up an organization by id or slug, as `:org` in paths accepts either. */
export async function findOrganization(orgs: OrganizationRepository, ref: string): Promise<Organization | null> {
  const byId = UUID.test(ref) ? await orgs.findById(ref) : null;
  return byId ?? (await orgs.findBySlug(ref.toLowerCase()));
}

/** Like findOrganization, but TENANT_NOT_FOUND when absent. */
export async function requireOrganization(orgs: OrganizationRepository, ref: string): Promise<Organization> {
  const org = await findOrganization(orgs, ref);
  if (!org) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
  return org;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
