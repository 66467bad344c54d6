/**
 * Closed set of codes for invalid access data. A code is API: never renamed, only added.
 * The application layer maps them onto its `DomainError`.
 */
export type AccessErrorCode =
  | 'ACCESS_UNKNOWN_PERMISSION'
  | 'ACCESS_INVALID_ROLE_KEY'
  | 'ACCESS_RESERVED_ROLE_KEY'
  | 'ACCESS_INVALID_ROLE_NAME'
  | 'ACCESS_DUPLICATE_ROLE_KEY'
  | 'ACCESS_UNKNOWN_SYSTEM_ROLE'
  | 'ACCESS_UNKNOWN_CUSTOM_ROLE'
  | 'ACCESS_DUPLICATE_MEMBER'
  | 'ACCESS_GRANT_UNKNOWN_MEMBER'
  | 'ACCESS_INVALID_ENTITY_LEVEL'
  | 'ACCESS_DUPLICATE_GRANT';

/**
 * Why access data was rejected. `subject` names the offending value (role key, member id,
 * permission string); it never carries secrets, so it is safe to log and to return.
 */
export interface AccessError {
  readonly code: AccessErrorCode;
  readonly subject: string;
}
