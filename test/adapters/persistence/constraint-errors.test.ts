import { ConnectionException, UniqueConstraintViolationException, ForeignKeyConstraintViolationException, CheckConstraintViolationException } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { translateDatabaseError } from '../../../src/adapters/persistence/mikro-orm/constraint-errors.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';

function pgError(message: string, fields: Record<string, string>): Error {
  return Object.assign(new Error(message), fields);
}

describe('translateDatabaseError', () => {
  it('turns a named unique violation into its code, without SQL or values in the message', () => {
    const error = translateDatabaseError(
      new UniqueConstraintViolationException(
        pgError('insert into "users" … - duplicate key value violates unique constraint "users_email_key"', {
          code: '23505',
          constraint: 'users_email_key',
          detail: 'Key (email)=(ada@example.test) already exists.',
        }),
      ),
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('USER_ALREADY_EXISTS');
    expect(JSON.stringify({ message: (error as DomainError).message, details: (error as DomainError).details })).not.toMatch(/insert|users_email_key|ada@example/);
  });

  it('maps foreign keys to the missing parent, duplicate primary keys to CONCURRENT_MODIFICATION, anything else to VALIDATION_FAILED', () => {
    const code = (error: unknown) => (translateDatabaseError(error) as DomainError).code;
    expect(code(new ForeignKeyConstraintViolationException(pgError('fk', { code: '23503', constraint: 'memberships_tenant_id_fkey' })))).toBe('TENANT_NOT_FOUND');
    expect(code(new UniqueConstraintViolationException(pgError('pk', { code: '23505', constraint: 'sessions_pkey' })))).toBe('CONCURRENT_MODIFICATION');
    expect(code(new CheckConstraintViolationException(pgError('check', { code: '23514', constraint: 'organizations_status_check' })))).toBe('VALIDATION_FAILED');
  });

  it('leaves other errors alone: they are internal', () => {
    const lost = new ConnectionException(new Error('connect ECONNREFUSED'));
    expect(translateDatabaseError(lost)).toBe(lost);
  });
});
