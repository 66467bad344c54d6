import { defineEntity, p } from '@mikro-orm/core';

/** Row of `totp_factors` (one per user); the domain type is an interface, so rows are mapped by hand. */
export const TotpFactorSchema = defineEntity({
  name: 'TotpFactor',
  tableName: 'totp_factors',
  properties: {
    userId: p.text().primary(),
    id: p.text(),
    secret: p.text(),
    createdAt: p.datetime(),
    confirmedAt: p.datetime().nullable(),
    lastUsedStep: p.integer().nullable(),
  },
});
