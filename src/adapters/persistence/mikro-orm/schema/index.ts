import { AuditEventSchema } from './audit-event.schema.js';
import { CustomRoleSchema } from './custom-role.schema.js';
import { EntityGrantSchema } from './entity-grant.schema.js';
import { EntitySchema } from './entity.schema.js';
import { IdentityEventSchema } from './identity-event.schema.js';
import { IdentityLinkSchema } from './identity-link.schema.js';
import { MembershipSchema } from './membership.schema.js';
import { OneTimeTokenSchema } from './one-time-token.schema.js';
import { OrganizationSchema } from './organization.schema.js';
import { OutboxMessageSchema } from './outbox-message.schema.js';
import { RecoveryCodeSchema } from './recovery-code.schema.js';
import { RefreshTokenSchema } from './refresh-token.schema.js';
import { SessionSchema } from './session.schema.js';
import { SigningKeySchema } from './signing-key.schema.js';
import { TotpFactorSchema } from './totp-factor.schema.js';
import { UserSchema } from './user.schema.js';

export { AuditEventSchema, CustomRoleSchema, EntityGrantSchema, EntitySchema, IdentityEventSchema, IdentityLinkSchema, MembershipSchema, OneTimeTokenSchema, OrganizationSchema, OutboxMessageSchema, RecoveryCodeSchema, RefreshTokenSchema, SessionSchema, SigningKeySchema, TotpFactorSchema, UserSchema };

/** Every schema, for the ORM configuration's `entities`. */
export const entities = [
  OrganizationSchema,
  UserSchema,
  MembershipSchema,
  EntitySchema,
  CustomRoleSchema,
  EntityGrantSchema,
  SessionSchema,
  RefreshTokenSchema,
  OneTimeTokenSchema,
  SigningKeySchema,
  TotpFactorSchema,
  RecoveryCodeSchema,
  AuditEventSchema,
  OutboxMessageSchema,
  IdentityLinkSchema,
  IdentityEventSchema,
] as const;
