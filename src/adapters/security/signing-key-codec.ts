import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Protects private signing keys at rest. With a configured 32-byte key the JWK is
 * sealed with AES-256-GCM; without one it is stored as is (and the docs say so).
 */
export class SigningKeyCodec {
  private readonly key: Buffer | null;

  constructor(encryptionKey: string | undefined) {
    this.key = encryptionKey ? Buffer.from(encryptionKey, 'base64url') : null;
  }

  seal(privateJwk: string): string {
    if (!this.key) return `plain:${privateJwk}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(privateJwk, 'utf8'), cipher.final()]);
    return `aesgcm:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  open(stored: string): string {
    if (stored.startsWith('plain:')) return stored.slice(6);
    if (!stored.startsWith('aesgcm:')) throw new Error('unknown signing key encoding');
    if (!this.key) throw new Error('signing keys are encrypted; set SIGNING_KEY_ENCRYPTION_KEY');
    const raw = Buffer.from(stored.slice(7), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
