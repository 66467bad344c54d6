import { createHash, randomBytes } from 'node:crypto';

/** A fresh 256-bit secret for a person to hold, and the SHA-256 we store instead of it. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

/** SHA-256 of a presented token, hex. A fast hash is right here: the input has 256 bits of entropy. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
