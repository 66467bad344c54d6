import type { OrganizationRepository } from '../../../application/ports/organization-repository.port.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import type { Organization } from '../../../domain/tenancy/organization.js';
import { cascades } from './cascades.js';
import type { InMemoryStore } from './in-memory-store.js';
import { saveVersioned } from './versioned-table.js';

export class InMemoryOrganizationRepository implements OrganizationRepository {
  constructor(private readonly store: InMemoryStore) {}

  findById(id: string): Promise<Organization | null> {
    return this.store.statement((t) => this.store.one(t.orgs.get(id)));
  }

  findBySlug(slug: string): Promise<Organization | null> {
    return this.store.statement((t) => this.store.one([...t.orgs.values()].find((o) => o.slug === slug)));
  }

  findManyByIds(ids: readonly string[]): Promise<Organization[]> {
    return this.store.statement((t) => this.store.many([...new Set(ids)].flatMap((id) => t.orgs.get(id) ?? [])));
  }

  findByAllowedEmailDomain(domain: string): Promise<Organization[]> {
    const wanted = domain.toLowerCase();
    return this.store.statement((t) => this.store.many([...t.orgs.values()].filter((o) => o.policy.allowedEmailDomains.includes(wanted))));
  }

  findByBillingCustomerId(customerId: string): Promise<Organization | null> {
    return this.store.statement((t) => this.store.one([...t.orgs.values()].find((o) => o.billingCustomerId === customerId)));
  }

  save(org: Organization): Promise<void> {
    return this.store.statement((t) =>
      saveVersioned(t.orgs, org, this.store.persisted, {
        check: () => {
          for (const other of t.orgs.values()) {
            if (other.id !== org.id && other.slug === org.slug) throw new DomainError('TENANT_SLUG_TAKEN', 'This slug is already taken');
            if (other.id !== org.id && sameBilling(other, org)) {
              throw new DomainError('CONCURRENT_MODIFICATION', 'The record was created concurrently; reload and retry');
            }
          }
        },
      }),
    );
  }

  delete(id: string): Promise<void> {
    return this.store.statement((t) => cascades.deleteOrganization(t, id));
  }

  /** Transactions are serialized already, so there is nothing more to lock. */
  async lock(): Promise<void> {}
}

/** Mirrors the partial unique indexes on stripe_customer_id and stripe_subscription_id. */
function sameBilling(a: Organization, b: Organization): boolean {
  return (
    (a.billingCustomerId !== null && a.billingCustomerId === b.billingCustomerId) ||
    (a.billingSubscriptionId !== null && a.billingSubscriptionId === b.billingSubscriptionId)
  );
}
