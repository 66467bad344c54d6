import type { AccessError, AccessErrorCode } from '../access/access-error.js';
import { DomainError } from '../shared/domain-error.js';

const MESSAGES: Readonly<Record<AccessErrorCode, string>> = {
  ACCESS_UNKNOWN_PERMISSION: 'Not a permission of the catalogue',
  ACCESS_INVALID_ROLE_KEY: 'A role key is 1-64 lowercase letters, digits, "-" or "_", starting with a letter',
  ACCESS_RESERVED_ROLE_KEY: 'System role names cannot be used as custom role keys, and system roles cannot be changed',
  ACCESS_INVALID_ROLE_NAME: 'A role name is 1-100 characters',
  ACCESS_DUPLICATE_ROLE_KEY: 'A role with this key already exists',
  ACCESS_UNKNOWN_SYSTEM_ROLE: 'Not a system role',
  ACCESS_UNKNOWN_CUSTOM_ROLE: 'No custom role with this key in this organization',
  ACCESS_DUPLICATE_MEMBER: 'A member is listed twice',
  ACCESS_GRANT_UNKNOWN_MEMBER: 'The grant names someone who is not a member',
  ACCESS_INVALID_ENTITY_LEVEL: 'Not an entity level (viewer, editor, manager, admin)',
  ACCESS_DUPLICATE_GRANT: 'This member already has a grant on this entity; change it instead',
};

/**
 * The DomainError for an access-domain rejection. The codes are the same strings, so clients see
 * the domain's stable code; `subject` (a role key, permission or id, never a secret) goes to `details`.
 */
export function accessFailure(error: AccessError): DomainError {
  return new DomainError(error.code, MESSAGES[error.code], { subject: error.subject });
}
