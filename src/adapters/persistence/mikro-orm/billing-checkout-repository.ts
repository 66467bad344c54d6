import type { BillingCheckoutRepository } from '../../../application/ports/billing-checkout-repository.port.js';
import type { BillingCheckout, CheckoutState } from '../../../domain/billing/billing-checkout.js';
import { date, text, textOrNull, type RawRow } from './raw-row.js';
import type { TransactionScope } from './transaction-scope.js';

/** Checkout sessions' provisioning state in PostgreSQL (`billing_checkouts`). */
export class MikroOrmBillingCheckoutRepository implements BillingCheckoutRepository {
  constructor(private readonly scope: TransactionScope) {}

  async find(sessionId: string): Promise<BillingCheckout | null> {
    const [row] = await this.scope.em().execute<RawRow[]>('select * from billing_checkouts where session_id = ?', [sessionId]);
    return row ? toCheckout(row) : null;
  }

  async findBySubscription(subscriptionId: string): Promise<BillingCheckout | null> {
    const [row] = await this.scope.em().execute<RawRow[]>(`select * from billing_checkouts where subscription_id = ? and state = 'active' limit 1`, [subscriptionId]);
    return row ? toCheckout(row) : null;
  }

  async save(c: BillingCheckout): Promise<void> {
    // One statement; the WHERE keeps a committed `active` from being overwritten by a late failure report.
    await this.scope.em().execute(
      `insert into billing_checkouts (session_id, state, organization_id, subscription_id, attempts, last_error, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (session_id) do update set
         state = excluded.state, organization_id = excluded.organization_id, subscription_id = excluded.subscription_id, attempts = excluded.attempts,
         last_error = excluded.last_error, updated_at = excluded.updated_at
       where billing_checkouts.state <> 'active'`,
      [c.sessionId, c.state, c.organizationId, c.subscriptionId, c.attempts, c.lastError, c.createdAt, c.updatedAt],
    );
  }
}

function toCheckout(row: RawRow): BillingCheckout {
  return {
    sessionId: text(row, 'session_id'),
    state: text(row, 'state') as CheckoutState,
    organizationId: textOrNull(row, 'organization_id'),
    subscriptionId: textOrNull(row, 'subscription_id'),
    attempts: Number(row['attempts']),
    lastError: textOrNull(row, 'last_error'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
}
