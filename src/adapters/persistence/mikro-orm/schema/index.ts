import { AuditEventSchema } from './audit-event.schema.js';
import { EntitySchema } from './entity.schema.js';
import { MembershipSchema } from './membership.schema.js';
import { OneTimeTokenSchema } from './one-time-token.schema.js';
import { OrganizationSchema } from './organization.schema.js';
import { RefreshTokenSchema } from './refresh-token.schema.js';
import { SessionSchema } from './session.schema.js';
import { SigningKeySchema } from './signing-key.schema.js';
import { UserSchema } from './user.schema.js';

export { AuditEventSchema, EntitySchema, MembershipSchema, OneTimeTokenSchema, OrganizationSchema, RefreshTokenSchema, SessionSchema, SigningKeySchema, UserSchema };

/** Every schema, for the ORM configuration's `entities`. */
export const entities = [
  OrganizationSchema,
  UserSchema,
  MembershipSchema,
  EntitySchema,
  SessionSchema,
  RefreshTokenSchema,
  OneTimeTokenSchema,
  SigningKeySchema,
  AuditEventSchema,
] as const;
