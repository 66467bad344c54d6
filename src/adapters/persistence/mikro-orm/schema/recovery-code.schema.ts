import { defineEntity, p } from '@mikro-orm/core';

/** Row of `recovery_codes`: the SHA-256 of one code, spent once. */
export const RecoveryCodeSchema = defineEntity({
  name: 'RecoveryCode',
  tableName: 'recovery_codes',
  properties: {
    id: p.text().primary(),
    userId: p.text(),
    codeHash: p.text(),
    createdAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
});
