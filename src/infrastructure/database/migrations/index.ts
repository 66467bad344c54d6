import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000000_initial } from './Migration20261123000000_initial.js';
import { Migration20261123010000_access } from './Migration20261123010000_access.js';
import { Migration20261123020000_outbox } from './Migration20261123020000_outbox.js';
import { Migration20261123030000_rate_limits } from './Migration20261123030000_rate_limits.js';
import { Migration20261123040000_mfa } from './Migration20261123040000_mfa.js';
import { Migration20261123060000_billing_customer } from './Migration20261123060000_billing_customer.js';
import { Migration20261123070000_billing_events } from './Migration20261123070000_billing_events.js';
import { Migration20261204000000_provider_session } from './Migration20261204000000_provider_session.js';
import { Migration20261204010000_identity_links } from './Migration20261204010000_identity_links.js';
import { Migration20261206000000_billing_checkout_subscription } from './Migration20261206000000_billing_checkout_subscription.js';

/**
 * Every migration, oldest first. An explicit list instead of a folder glob: it works the
 * same from TypeScript sources (vitest, tsx) and from the compiled `dist/`, and bundles.
 * Append new migrations here.
 */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261123000000_initial', class: Migration20261123000000_initial },
  { name: 'Migration20261123010000_access', class: Migration20261123010000_access },
  { name: 'Migration20261123020000_outbox', class: Migration20261123020000_outbox },
  { name: 'Migration20261123030000_rate_limits', class: Migration20261123030000_rate_limits },
  { name: 'Migration20261123040000_mfa', class: Migration20261123040000_mfa },
  { name: 'Migration20261123060000_billing_customer', class: Migration20261123060000_billing_customer },
  { name: 'Migration20261123070000_billing_events', class: Migration20261123070000_billing_events },
  { name: 'Migration20261204000000_provider_session', class: Migration20261204000000_provider_session },
  { name: 'Migration20261204010000_identity_links', class: Migration20261204010000_identity_links },
  { name: 'Migration20261206000000_billing_checkout_subscription', class: Migration20261206000000_billing_checkout_subscription },
];
