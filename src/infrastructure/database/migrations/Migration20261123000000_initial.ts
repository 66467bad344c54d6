import { Migration } from '@mikro-orm/migrations';

/**
 * The first schema. Written by hand: constraint names are part of the contract,
 * the MikroORM adapter maps them to error codes (see mikro-orm/constraint-errors.ts).
 */
/**
 * Identifiers compare bytewise ("C" collation) whatever the database's default collation,
 * so that "oldest first, then by id" orders rows the same on every server and in memory.
 */
const ID = 'text collate "C"';

export class Migration20261123000000_initial extends Migration {
  override name = 'Migration20261123000000_initial';

  override up(): void {
    this.addSql(`create table organizations (
      id ${ID} primary key,
      slug text not null,
      name text not null,
      status text not null,
      plan text null,
      policy jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint organizations_slug_key unique (slug),
      constraint organizations_status_check check (status in ('provisioning', 'active', 'past_due', 'suspended', 'archived'))
    )`);

    this.addSql(`create table users (
      id ${ID} primary key,
      email text not null,
      name text null,
      password_hash text null,
      email_verified_at timestamptz null,
      status text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint users_email_key unique (email),
      constraint users_status_check check (status in ('active', 'invited', 'disabled'))
    )`);

    this.addSql(`create table memberships (
      id ${ID} primary key,
      tenant_id ${ID} not null,
      user_id ${ID} not null,
      role text not null,
      custom_roles jsonb not null default '[]',
      status text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint memberships_tenant_id_fkey foreign key (tenant_id) references organizations (id) on delete cascade,
      constraint memberships_user_id_fkey foreign key (user_id) references users (id) on delete cascade,
      constraint memberships_tenant_id_user_id_key unique (tenant_id, user_id),
      constraint memberships_role_check check (role in ('admin', 'manager', 'member', 'viewer')),
      constraint memberships_status_check check (status in ('active', 'invited'))
    )`);
    this.addSql('create index memberships_user_id_index on memberships (user_id)');

    this.addSql(`create table entities (
      id ${ID} primary key,
      tenant_id ${ID} not null,
      type text not null,
      name text not null,
      external_id text null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      constraint entities_tenant_id_fkey foreign key (tenant_id) references organizations (id) on delete cascade
    )`);
    this.addSql('create unique index entities_tenant_id_type_external_id_key on entities (tenant_id, type, external_id) where external_id is not null');
    this.addSql('create index entities_tenant_id_created_at_index on entities (tenant_id, created_at)');

    // A removed membership keeps its sessions' rows (the use case revokes them, with a reason) — hence SET NULL.
    this.addSql(`create table sessions (
      id ${ID} primary key,
      user_id ${ID} not null,
      tenant_id ${ID} null,
      membership_id ${ID} null,
      amr jsonb not null default '[]',
      user_agent text null,
      ip text null,
      created_at timestamptz not null,
      last_used_at timestamptz not null,
      idle_expires_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz null,
      revoked_reason text null,
      constraint sessions_user_id_fkey foreign key (user_id) references users (id) on delete cascade,
      constraint sessions_tenant_id_fkey foreign key (tenant_id) references organizations (id) on delete cascade,
      constraint sessions_membership_id_fkey foreign key (membership_id) references memberships (id) on delete set null
    )`);
    this.addSql('create index sessions_user_id_index on sessions (user_id)');
    this.addSql('create index sessions_tenant_id_membership_id_index on sessions (tenant_id, membership_id)');
    this.addSql('create index sessions_expires_at_index on sessions (expires_at)');

    this.addSql(`create table refresh_tokens (
      token_hash text primary key,
      session_id ${ID} not null,
      created_at timestamptz not null,
      consumed_at timestamptz null,
      constraint refresh_tokens_session_id_fkey foreign key (session_id) references sessions (id) on delete cascade
    )`);
    this.addSql('create index refresh_tokens_session_id_index on refresh_tokens (session_id)');

    this.addSql(`create table one_time_tokens (
      id ${ID} primary key,
      purpose text not null,
      token_hash text not null,
      user_id ${ID} null,
      email text null,
      tenant_id ${ID} null,
      payload jsonb not null default '{}',
      created_at timestamptz not null,
      expires_at timestamptz not null,
      consumed_at timestamptz null,
      constraint one_time_tokens_token_hash_key unique (token_hash),
      constraint one_time_tokens_user_id_fkey foreign key (user_id) references users (id) on delete cascade,
      constraint one_time_tokens_tenant_id_fkey foreign key (tenant_id) references organizations (id) on delete cascade
    )`);
    this.addSql('create index one_time_tokens_expires_at_index on one_time_tokens (expires_at)');

    this.addSql(`create table signing_keys (
      kid ${ID} primary key,
      algorithm text not null,
      public_jwk jsonb not null,
      private_key text not null,
      status text not null,
      created_at timestamptz not null,
      retired_at timestamptz null,
      constraint signing_keys_status_check check (status in ('active', 'retiring'))
    )`);

    // No foreign key on tenant_id: the audit trail outlives the organization it describes.
    this.addSql(`create table audit_events (
      id ${ID} primary key,
      tenant_id ${ID} null,
      actor_user_id ${ID} null,
      action text not null,
      outcome text not null,
      target_type text null,
      target_id text null,
      ip text null,
      user_agent text null,
      metadata jsonb not null default '{}',
      occurred_at timestamptz not null
    )`);
    this.addSql('create index audit_events_tenant_id_occurred_at_id_index on audit_events (tenant_id, occurred_at desc, id desc)');
  }

  override down(): void {
    for (const table of ['audit_events', 'signing_keys', 'one_time_tokens', 'refresh_tokens', 'sessions', 'entities', 'memberships', 'users', 'organizations']) {
      this.addSql(`drop table if exists ${table}`);
    }
  }
}
