import { Migration } from '@mikro-orm/migrations';

/**
 * The Stripe customer and subscription behind an organization (domain fields
 * `billingCustomerId`/`billingSubscriptionId`). Unique where set: one paying customer
 * provisions one organization, so a redelivered checkout can never create a second.
 * Constraint names are mapped in mikro-orm/constraint-errors.ts.
 */
export class Migration20261123060000_billing_customer extends Migration {
  override name = 'Migration20261123060000_billing_customer';

  override up(): void {
    this.addSql('alter table organizations add column stripe_customer_id text null');
    this.addSql('alter table organizations add column stripe_subscription_id text null');
    this.addSql('create unique index organizations_stripe_customer_id_key on organizations (stripe_customer_id) where stripe_customer_id is not null');
    this.addSql(
      'create unique index organizations_stripe_subscription_id_key on organizations (stripe_subscription_id) where stripe_subscription_id is not null',
    );
  }

  override down(): void {
    this.addSql('drop index if exists organizations_stripe_subscription_id_key');
    this.addSql('drop index if exists organizations_stripe_customer_id_key');
    this.addSql('alter table organizations drop column stripe_subscription_id');
    this.addSql('alter table organizations drop column stripe_customer_id');
  }
}
