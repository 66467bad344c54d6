import { defineEntity, p } from '@mikro-orm/core';

/** Row of `identity_events`, the idempotency ledger of identity-provider webhooks. Written by one `ON CONFLICT DO NOTHING` insert. */
export const IdentityEventSchema = defineEntity({
  name: 'IdentityEvent',
  tableName: 'identity_events',
  properties: {
    eventId: p.text().primary(),
    objectType: p.text(),
    action: p.text(),
    receivedAt: p.datetime(),
  },
});
