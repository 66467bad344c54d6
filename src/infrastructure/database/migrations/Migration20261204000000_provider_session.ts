import { Migration } from '@mikro-orm/migrations';

/**
 * The identity provider's session a Gatehouse session is bound to (Stytch mode): an opaque
 * handle the Stytch adapter sealed (AES-256-GCM), so the column never holds a usable Stytch
 * session token in clear. Null in built-in mode.
 */
export class Migration20261204000000_provider_session extends Migration {
  override name = 'Migration20261204000000_provider_session';

  override up(): void {
    this.addSql('alter table sessions add column provider_session text null');
  }

  override down(): void {
    this.addSql('alter table sessions drop column provider_session');
  }
}
