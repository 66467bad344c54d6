import { Migration } from '@mikro-orm/migrations';

/** Identifiers compare bytewise, as in the initial migration. */
const ID = 'text collate "C"';

/**
 * TOTP factors, recovery codes, and an attempt counter on one-time tokens (the MFA challenge
 * dies after five wrong codes). Constraint names are mapped in mikro-orm/constraint-errors.ts.
 */
export class Migration20261123040000_mfa extends Migration {
  override name = 'Migration20261123040000_mfa';

  override up(): void {
    // One factor per user: the primary key is the user. `id` changes with every setup so a stale
    // confirmation cannot activate a newer secret. `secret` is sealed when an encryption key is set.
    this.addSql(`create table totp_factors (
      user_id ${ID} primary key,
      id ${ID} not null,
      secret text not null,
      created_at timestamptz not null,
      confirmed_at timestamptz null,
      last_used_step integer null,
      constraint totp_factors_user_id_fkey foreign key (user_id) references users (id) on delete cascade
    )`);

    // SHA-256 of each code only; spending sets used_at with one conditional UPDATE.
    this.addSql(`create table recovery_codes (
      id ${ID} primary key,
      user_id ${ID} not null,
      code_hash text not null,
      created_at timestamptz not null,
      used_at timestamptz null,
      constraint recovery_codes_user_id_fkey foreign key (user_id) references users (id) on delete cascade,
      constraint recovery_codes_user_id_code_hash_key unique (user_id, code_hash)
    )`);

    this.addSql('alter table one_time_tokens add column attempts integer not null default 0');
  }

  override down(): void {
    this.addSql('alter table one_time_tokens drop column if exists attempts');
    this.addSql('drop table if exists recovery_codes');
    this.addSql('drop table if exists totp_factors');
  }
}
