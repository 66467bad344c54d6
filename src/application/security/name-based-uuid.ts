import { createHash } from 'node:crypto';

/**
 * A UUID derived from a name (RFC 9562 version 8, SHA-256 of the name): the same name always
 * gives the same id. The identity mirror names what it creates after the provider's id, so two
 * processes creating the local copy of one provider object at once write the same row (the
 * second insert meets the first's primary key) instead of two copies.
 */
export function nameBasedUuid(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 16);
  bytes[6] = 0x80 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
