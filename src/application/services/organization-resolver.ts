import { DomainError } from '../../domain/shared/domain-error.js';
import { isIdShaped } from '../../domain/shared/id.js';
import type { Organization } from '../../domain/tenancy/organization.js';
import type { OrganizationRepository } from '../ports/organization-repository.port.js';

/** Looks up an organization by id or slug, as `:org` in paths accepts either (both case-insensitively). */
export async function findOrganization(orgs: OrganizationRepository, ref: string): Promise<Organization | null> {
  const lower = ref.toLowerCase();
  const byId = isIdShaped(lower) ? await orgs.findById(lower) : null;
  return byId ?? (await orgs.findBySlug(lower));
}

/** Like findOrganization, but TENANT_NOT_FOUND when absent. */
export async function requireOrganization(orgs: OrganizationRepository, ref: string): Promise<Organization> {
  const org = await findOrganization(orgs, ref);
  if (!org) throw new DomainError('TENANT_NOT_FOUND', 'Organization not found');
  return org;
}

