import { defineEntity, p } from '@mikro-orm/core';
import type { SigningKey } from '../../../../domain/credentials/signing-key.js';

/** Row of `signing_keys`. */
export const SigningKeySchema = defineEntity({
  name: 'SigningKey',
  tableName: 'signing_keys',
  properties: {
    kid: p.text().primary(),
    algorithm: p.text().$type<SigningKey['algorithm']>(),
    publicJwk: p.json<SigningKey['publicJwk']>(),
    privateKey: p.text(),
    status: p.text().$type<SigningKey['status']>(),
    createdAt: p.datetime(),
    retiredAt: p.datetime().nullable(),
  },
});
