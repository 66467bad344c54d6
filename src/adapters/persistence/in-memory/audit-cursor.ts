import { DomainError } from '../../../domain/shared/domain-error.js';

/** Position in an audit log read newest first: the last event returned. */
export interface AuditPosition {
  occurredAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `<occurredAt ISO>|<id>`. */
export function encodeAuditCursor(position: AuditPosition): string {
  return Buffer.from(`${position.occurredAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/** Reads a cursor made by {@link encodeAuditCursor}; VALIDATION_FAILED for anything else. */
export function decodeAuditCursor(cursor: string): AuditPosition {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = decoded.indexOf('|');
  const occurredAt = new Date(decoded.slice(0, separator));
  const id = decoded.slice(separator + 1);
  if (separator < 0 || Number.isNaN(occurredAt.getTime()) || id.length === 0) {
    throw new DomainError('VALIDATION_FAILED', 'Invalid cursor', { field: 'cursor' });
  }
  return { occurredAt, id };
}
