import type { IdentityLink, IdentityLinkKind, IdentityLinkRepository } from '../../../application/ports/identity-link-repository.port.js';
import { constraints } from './constraint-checks.js';
import { copyOf, type InMemoryStore, type IdentityLinkRecord, type Tables } from './in-memory-store.js';

/**
 * The identity mirror's links in memory, with the constraints of `identity_links`: primary key
 * (kind, external_id) — a save replaces that row, keeping its place in the order —, unique
 * (kind, local_id) and the foreign key to organizations (TENANT_NOT_FOUND).
 */
export class InMemoryIdentityLinkRepository implements IdentityLinkRepository {
  /** The `seq` identity column: never reused, not rolled back (as a PostgreSQL sequence). */
  #seq = 0;

  constructor(private readonly store: InMemoryStore) {}

  findByExternal(kind: IdentityLinkKind, externalId: string): Promise<IdentityLink | null> {
    return this.store.statement((t) => copied(t.identityLinks.get(keyOf(kind, externalId))));
  }

  findByLocal(kind: IdentityLinkKind, localId: string): Promise<IdentityLink | null> {
    return this.store.statement((t) => copied(byLocal(t, kind, localId)));
  }

  save(link: IdentityLink): Promise<void> {
    return this.store.statement((t) => {
      constraints.organizationExists(t, link.tenantId);
      const holder = byLocal(t, link.kind, link.localId);
      // unique (kind, local_id): the local object is linked to another external one already.
      constraints.noDuplicate(holder !== undefined && holder.link.externalId !== link.externalId);
      const key = keyOf(link.kind, link.externalId);
      const seq = t.identityLinks.get(key)?.seq ?? ++this.#seq;
      t.identityLinks.set(key, { link: copyOf(link), seq });
    });
  }

  listMembersOf(tenantId: string): Promise<IdentityLink[]> {
    return this.store.statement((t) =>
      [...t.identityLinks.values()]
        .filter((r) => r.link.kind === 'member' && r.link.tenantId === tenantId)
        .sort((a, b) => a.seq - b.seq)
        .map((r) => copyOf(r.link)),
    );
  }
}

function keyOf(kind: IdentityLinkKind, externalId: string): string {
  return `${kind}:${externalId}`;
}

function byLocal(t: Tables, kind: IdentityLinkKind, localId: string): IdentityLinkRecord | undefined {
  return [...t.identityLinks.values()].find((r) => r.link.kind === kind && r.link.localId === localId);
}

function copied(record: IdentityLinkRecord | undefined): IdentityLink | null {
  return record ? copyOf(record.link) : null;
}
