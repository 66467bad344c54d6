import { ConstraintViolationException } from '@mikro-orm/core';
import { DomainError, type ErrorCode } from '../../../domain/shared/domain-error.js';

/**
 * Constraint names (fixed by the migrations) and what they mean to a client. The in-memory
 * adapter raises the same codes for the same situations; the contract suites hold both to it.
 */
const MEANING: Readonly<Record<string, { code: ErrorCode; message: string }>> = {
  organizations_slug_key: { code: 'TENANT_SLUG_TAKEN', message: 'This slug is already taken' },
  // Another organization already holds this billing customer/subscription: a concurrent provisioning won.
  organizations_stripe_customer_id_key: { code: 'CONCURRENT_MODIFICATION', message: 'The record was created concurrently; reload and retry' },
  organizations_stripe_subscription_id_key: { code: 'CONCURRENT_MODIFICATION', message: 'The record was created concurrently; reload and retry' },
  users_email_key: { code: 'USER_ALREADY_EXISTS', message: 'An account with this email already exists' },
  memberships_tenant_id_user_id_key: { code: 'MEMBER_ALREADY_EXISTS', message: 'This person is already a member' },
  entities_tenant_id_type_external_id_key: { code: 'VALIDATION_FAILED', message: 'An entity of this type with this external id already exists' },
  memberships_tenant_id_fkey: { code: 'TENANT_NOT_FOUND', message: 'Organization not found' },
  memberships_user_id_fkey: { code: 'USER_NOT_FOUND', message: 'User not found' },
  entities_tenant_id_fkey: { code: 'TENANT_NOT_FOUND', message: 'Organization not found' },
  custom_roles_tenant_id_fkey: { code: 'TENANT_NOT_FOUND', message: 'Organization not found' },
  custom_roles_tenant_id_key_key: { code: 'ACCESS_DUPLICATE_ROLE_KEY', message: 'A role with this key already exists' },
  entity_grants_tenant_id_fkey: { code: 'TENANT_NOT_FOUND', message: 'Organization not found' },
  entity_grants_entity_fkey: { code: 'ENTITY_NOT_FOUND', message: 'Entity not found' },
  entity_grants_membership_fkey: { code: 'MEMBER_NOT_FOUND', message: 'Member not found' },
  entity_grants_entity_id_membership_id_key: { code: 'ACCESS_DUPLICATE_GRANT', message: 'This member already has a grant on this entity; change it instead' },
  sessions_user_id_fkey: { code: 'USER_NOT_FOUND', message: 'User not found' },
  sessions_tenant_id_fkey: { code: 'TENANT_NOT_FOUND', message: 'Organization not found' },
  sessions_membership_id_fkey: { code: 'MEMBER_NOT_FOUND', message: 'Member not found' },
  refresh_tokens_session_id_fkey: { code: 'SESSION_NOT_FOUND', message: 'Session not found' },
  one_time_tokens_user_id_fkey: { code: 'USER_NOT_FOUND', message: 'User not found' },
  one_time_tokens_tenant_id_fkey: { code: 'TENANT_NOT_FOUND', message: 'Organization not found' },
  totp_factors_user_id_fkey: { code: 'USER_NOT_FOUND', message: 'User not found' },
  recovery_codes_user_id_fkey: { code: 'USER_NOT_FOUND', message: 'User not found' },
  onboarding_progress_tenant_id_fkey: { code: 'TENANT_NOT_FOUND', message: 'Organization not found' },
  recovery_codes_user_id_code_hash_key: { code: 'CONCURRENT_MODIFICATION', message: 'The record was created concurrently; reload and retry' },
  // The local organization / membership is linked to another provider object already.
  identity_links_kind_local_id_key: { code: 'CONCURRENT_MODIFICATION', message: 'The record was created concurrently; reload and retry' },
  identity_links_tenant_id_fkey: { code: 'TENANT_NOT_FOUND', message: 'Organization not found' },
};

/** The violated constraint's name, when `error` is a constraint violation. */
export function violatedConstraint(error: unknown): string | null {
  if (!(error instanceof ConstraintViolationException)) return null;
  const name: unknown = (error as { constraint?: unknown }).constraint;
  return typeof name === 'string' ? name : null;
}

/**
 * Turns a constraint violation into the DomainError it stands for; SQL text and values never
 * reach the caller. A duplicate primary key means another writer created the same row first.
 * Other errors (connection loss, …) are returned unchanged: they are internal errors.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (!(error instanceof ConstraintViolationException)) return error;
  const constraint = violatedConstraint(error);
  const meaning = constraint ? MEANING[constraint] : undefined;
  if (meaning) return new DomainError(meaning.code, meaning.message);
  if (constraint?.endsWith('_pkey') || constraint?.endsWith('_token_hash_key')) {
    return new DomainError('CONCURRENT_MODIFICATION', 'The record was created concurrently; reload and retry');
  }
  return new DomainError('VALIDATION_FAILED', 'The change violates a data constraint');
}

/** Awaits `work`, translating database errors on the way out. */
export async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDatabaseError(error);
  }
}
