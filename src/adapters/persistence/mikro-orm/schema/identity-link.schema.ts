import { defineEntity, p } from '@mikro-orm/core';
import type { IdentityLinkKind } from '../../../../application/ports/identity-link-repository.port.js';

/**
 * Row of `identity_links` (the identity mirror's map between provider and Gatehouse ids).
 * Read through this schema; written by one upsert statement (see identity-link-repository.ts).
 */
export const IdentityLinkSchema = defineEntity({
  name: 'IdentityLink',
  tableName: 'identity_links',
  properties: {
    kind: p.text().$type<IdentityLinkKind>().primary(),
    externalId: p.text().primary(),
    localId: p.text(),
    tenantId: p.text(),
    sourceUpdatedAt: p.datetime().nullable(),
    deletedAt: p.datetime().nullable(),
    /** Insertion order (an identity column): "oldest first". */
    seq: p.bigint('number'),
  },
});
