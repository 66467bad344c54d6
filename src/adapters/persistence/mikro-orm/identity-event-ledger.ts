import type { IdentityEventLedger } from '../../../application/ports/identity-event-ledger.port.js';
import type { RawRow } from './raw-row.js';
import { IdentityEventSchema } from './schema/identity-event.schema.js';
import type { TransactionScope } from './transaction-scope.js';

/**
 * The identity webhook ledger in PostgreSQL (`identity_events`). As the billing ledger: `ON CONFLICT
 * DO NOTHING` instead of catching a unique violation, so no error aborts the caller's transaction,
 * and a concurrent insert of the same id waits on the primary-key index until the first transaction
 * ends — then conflicts (it committed) or inserts (it rolled back).
 */
export class MikroOrmIdentityEventLedger implements IdentityEventLedger {
  constructor(private readonly scope: TransactionScope) {}

  async record(event: { eventId: string; objectType: string; action: string; receivedAt: Date }): Promise<boolean> {
    const rows = await this.scope
      .em()
      .execute<RawRow[]>(
        'insert into identity_events (event_id, object_type, action, received_at) values (?, ?, ?, ?) on conflict (event_id) do nothing returning event_id',
        [event.eventId, event.objectType, event.action, event.receivedAt],
      );
    return rows.length === 1;
  }

  async has(eventId: string): Promise<boolean> {
    return (await this.scope.em().count(IdentityEventSchema, { eventId })) > 0;
  }
}
