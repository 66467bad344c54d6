import { Migration } from '@mikro-orm/migrations';

/**
 * The subscription each completed checkout brought (docs/billing.md, "Out of order"): an event about a
 * subscription that no applied checkout names has not been linked yet and waits for its checkout (the
 * webhook answers 409 and Stripe redelivers); one named here that the organization no longer has was
 * replaced or kept aside and is stale. Rows written before this migration name none.
 */
export class Migration20261206000000_billing_checkout_subscription extends Migration {
  override name = 'Migration20261206000000_billing_checkout_subscription';

  override up(): void {
    this.addSql('alter table billing_checkouts add column subscription_id text collate "C" null');
    this.addSql('create index billing_checkouts_subscription_id_index on billing_checkouts (subscription_id) where subscription_id is not null');
  }

  override down(): void {
    this.addSql('drop index if exists billing_checkouts_subscription_id_index');
    this.addSql('alter table billing_checkouts drop column if exists subscription_id');
  }
}
