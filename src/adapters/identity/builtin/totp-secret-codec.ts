import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Protects TOTP secrets at rest. With SIGNING_KEY_ENCRYPTION_KEY set, a secret is sealed with
 * AES-256-GCM under a subkey derived by HKDF (so the signing-key codec's key is never used for
 * a second purpose), with the user id as associated data: a sealed secret copied onto another
 * user's row does not open. Without a key secrets are stored as is (`plain:`), as documented in
 * docs/configuration.md. The same scheme as adapters/security/signing-key-codec.ts, copied
 * because adapters do not import each other.
 */
export class TotpSecretCodec {
  private readonly key: Buffer | null;

  constructor(encryptionKey: string | undefined) {
    this.key = encryptionKey ? Buffer.from(hkdfSync('sha256', Buffer.from(encryptionKey, 'base64url'), Buffer.alloc(0), 'gatehouse/totp-secret/v1', 32)) : null;
  }

  seal(secret: string, userId: string): string {
    if (!this.key) return `plain:${secret}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `aesgcm:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  open(stored: string, userId: string): string {
    if (stored.startsWith('plain:')) return stored.slice(6);
    if (!stored.startsWith('aesgcm:')) throw new Error('unknown TOTP secret encoding');
    if (!this.key) throw new Error('TOTP secrets are encrypted; set SIGNING_KEY_ENCRYPTION_KEY');
    const raw = Buffer.from(stored.slice(7), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(userId, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
