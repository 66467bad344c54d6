import { defineEntity, p } from '@mikro-orm/core';

/** One refresh-token hash of a session's family; consumed (rotated) at most once. */
export const RefreshTokenSchema = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    tokenHash: p.text().primary(),
    sessionId: p.text(),
    createdAt: p.datetime(),
    consumedAt: p.datetime().nullable(),
  },
});
