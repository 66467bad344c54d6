import { defineEntity, p } from '@mikro-orm/core';
import { User, type UserStatus } from '../../../../domain/tenancy/user.js';

/** Maps the domain class onto `users`. */
export const UserSchema = defineEntity({
  class: User,
  tableName: 'users',
  properties: {
    id: p.text().primary(),
    email: p.text(),
    name: p.text().nullable(),
    passwordHash: p.text().nullable(),
    emailVerifiedAt: p.datetime().nullable(),
    status: p.text().$type<UserStatus>(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    version: p.integer(),
  },
});
