import type { BillingEventLedger } from '../../../application/ports/billing-event-ledger.port.js';
import type { ProcessedBillingEvent } from '../../../domain/billing/processed-billing-event.js';
import { date, text, type RawRow } from './raw-row.js';
import type { TransactionScope } from './transaction-scope.js';

/**
 * The billing idempotency ledger in PostgreSQL (`processed_billing_events`). `ON CONFLICT DO
 * NOTHING` instead of catching a unique violation: no error aborts the caller's transaction, and a
 * concurrent insert of the same id waits on the primary-key index until the first transaction ends —
 * then conflicts (it committed) or inserts (it rolled back). That is what makes redeliveries no-ops.
 */
export class MikroOrmBillingEventLedger implements BillingEventLedger {
  constructor(private readonly scope: TransactionScope) {}

  async record(event: ProcessedBillingEvent): Promise<boolean> {
    const rows = await this.scope
      .em()
      .execute<RawRow[]>(
        'insert into processed_billing_events (event_id, kind, occurred_at, received_at) values (?, ?, ?, ?) on conflict (event_id) do nothing returning event_id',
        [event.eventId, event.kind, event.occurredAt, event.receivedAt],
      );
    return rows.length === 1;
  }

  async find(eventId: string): Promise<ProcessedBillingEvent | null> {
    const [row] = await this.scope.em().execute<RawRow[]>('select * from processed_billing_events where event_id = ?', [eventId]);
    if (!row) return null;
    return {
      eventId: text(row, 'event_id'),
      kind: text(row, 'kind'),
      occurredAt: date(row, 'occurred_at'),
      receivedAt: date(row, 'received_at'),
    };
  }
}
