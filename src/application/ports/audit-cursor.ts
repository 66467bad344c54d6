import { DomainError } from '../../domain/shared/domain-error.js';
import { isIdShaped } from '../../domain/shared/id.js';

/** Position in an audit log read newest first: the last event returned. */
export interface AuditPosition {
  occurredAt: Date;
  id: string;
}

/**
 * The audit log's page cursor, one format for every AuditLog adapter. Opaque to clients: base64url of
 * `<occurredAt ISO>|<id>`.
 */
export function encodeAuditCursor(position: AuditPosition): string {
  return Buffer.from(`${position.occurredAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/**
 * Reads a cursor made by {@link encodeAuditCursor}; VALIDATION_FAILED for anything else. Only what
 * the encoder writes is accepted: a four-digit-year ISO time exactly as `toISOString` prints it and an
 * event id (a UUID), so a forged cursor cannot carry a time or text PostgreSQL refuses.
 */
export function decodeAuditCursor(cursor: string): AuditPosition {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = decoded.indexOf('|');
  const time = decoded.slice(0, separator);
  const occurredAt = new Date(time);
  const id = decoded.slice(separator + 1);
  if (separator < 0 || Number.isNaN(occurredAt.getTime()) || occurredAt.toISOString() !== time || !/^\d{4}-/.test(time) || !isIdShaped(id)) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid cursor', { field: 'cursor' });
  }
  return { occurredAt, id };
}
