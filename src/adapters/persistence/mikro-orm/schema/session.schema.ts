import { defineEntity, p } from '@mikro-orm/core';
import { Session, type SessionRevocationReason } from '../../../../domain/credentials/session.js';

/** Maps the domain class onto `sessions`. */
export const SessionSchema = defineEntity({
  class: Session,
  tableName: 'sessions',
  properties: {
    id: p.text().primary(),
    userId: p.text(),
    tenantId: p.text().nullable(),
    membershipId: p.text().nullable(),
    amr: p.json<string[]>(),
    userAgent: p.text().nullable(),
    ip: p.text().nullable(),
    createdAt: p.datetime(),
    lastUsedAt: p.datetime(),
    idleExpiresAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    revokedReason: p.text().$type<SessionRevocationReason>().nullable(),
    providerSession: p.text().nullable(),
  },
});
