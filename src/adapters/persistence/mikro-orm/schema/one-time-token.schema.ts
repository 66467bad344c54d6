import { defineEntity, p } from '@mikro-orm/core';
import type { OneTimeToken, OneTimeTokenPurpose } from '../../../../domain/credentials/one-time-token.js';

/** Row of `one_time_tokens`; the domain type is an interface, so rows are mapped by hand. */
export const OneTimeTokenSchema = defineEntity({
  name: 'OneTimeToken',
  tableName: 'one_time_tokens',
  properties: {
    id: p.text().primary(),
    purpose: p.text().$type<OneTimeTokenPurpose>(),
    tokenHash: p.text(),
    userId: p.text().nullable(),
    email: p.text().nullable(),
    tenantId: p.text().nullable(),
    payload: p.json<OneTimeToken['payload']>(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    consumedAt: p.datetime().nullable(),
  },
});
