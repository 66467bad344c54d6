import { Migration } from '@mikro-orm/migrations';

/** Identifiers compare bytewise, as in the initial migration. */
const ID = 'text collate "C"';

/**
 * Custom roles and per-entity grants (docs/access-control.md). Constraint names are mapped to
 * error codes in mikro-orm/constraint-errors.ts.
 *
 * Grants reference their entity and membership through (tenant_id, id) pairs, so a grant can
 * never link an entity of one tenant to a member of another; hence the two extra unique keys.
 * Removing a member removes their grants; deleting an entity removes its grants (CASCADE).
 */
export class Migration20261123010000_access extends Migration {
  override name = 'Migration20261123010000_access';

  override up(): void {
    this.addSql('alter table entities add constraint entities_tenant_id_id_key unique (tenant_id, id)');
    this.addSql('alter table memberships add constraint memberships_tenant_id_id_key unique (tenant_id, id)');

    this.addSql(`create table custom_roles (
      id ${ID} primary key,
      tenant_id ${ID} not null,
      key text not null,
      name text not null,
      permissions jsonb not null default '[]',
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint custom_roles_tenant_id_fkey foreign key (tenant_id) references organizations (id) on delete cascade,
      constraint custom_roles_tenant_id_key_key unique (tenant_id, key)
    )`);

    this.addSql(`create table entity_grants (
      id ${ID} primary key,
      tenant_id ${ID} not null,
      entity_id ${ID} not null,
      membership_id ${ID} not null,
      level text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint entity_grants_tenant_id_fkey foreign key (tenant_id) references organizations (id) on delete cascade,
      constraint entity_grants_entity_fkey foreign key (tenant_id, entity_id) references entities (tenant_id, id) on delete cascade,
      constraint entity_grants_membership_fkey foreign key (tenant_id, membership_id) references memberships (tenant_id, id) on delete cascade,
      constraint entity_grants_entity_id_membership_id_key unique (entity_id, membership_id),
      constraint entity_grants_level_check check (level in ('viewer', 'editor', 'manager', 'admin'))
    )`);
    // The access view reads all grants of a tenant; the cascades look grants up by membership.
    this.addSql('create index entity_grants_tenant_id_index on entity_grants (tenant_id)');
    this.addSql('create index entity_grants_membership_id_index on entity_grants (membership_id)');
  }

  override down(): void {
    this.addSql('drop table if exists entity_grants');
    this.addSql('drop table if exists custom_roles');
    this.addSql('alter table memberships drop constraint if exists memberships_tenant_id_id_key');
    this.addSql('alter table entities drop constraint if exists entities_tenant_id_id_key');
  }
}
