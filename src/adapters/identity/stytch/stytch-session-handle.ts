import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * What Gatehouse carries for Stytch through a sign-in and stores with its session: an
 * intermediate session (after a first factor, before an organization is entered) or a member
 * session in one organization. Both tokens are bearer secrets, so the handle leaves the adapter
 * only sealed (AES-256-GCM under a key derived from STYTCH_SECRET): a database dump or an
 * intermediate-token row holds nothing Stytch would accept.
 */
export type StytchSessionHandle =
  | { kind: 'intermediate'; token: string }
  | { kind: 'member'; sessionId: string; token: string; organizationId: string };

const VERSION = 'sh1';

export class StytchSessionHandleCodec {
  private readonly key: Buffer;

  constructor(stytchSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', stytchSecret, 'gatehouse', 'stytch-session-handle/v1', 32));
  }

  seal(handle: StytchSessionHandle): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(handle), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The handle, or null when it was not sealed by this key (tampered, foreign, or another secret). */
  open(sealed: string): StytchSessionHandle | null {
    const [version, data] = sealed.split('.');
    if (version !== VERSION || !data) return null;
    const raw = Buffer.from(data, 'base64url');
    if (raw.length < 29) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return parseHandle(JSON.parse(json));
    } catch {
      return null;
    }
  }
}

function parseHandle(value: unknown): StytchSessionHandle | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v['kind'] === 'intermediate' && typeof v['token'] === 'string') return { kind: 'intermediate', token: v['token'] };
  if (v['kind'] === 'member' && typeof v['token'] === 'string' && typeof v['sessionId'] === 'string' && typeof v['organizationId'] === 'string') {
    return { kind: 'member', sessionId: v['sessionId'], token: v['token'], organizationId: v['organizationId'] };
  }
  return null;
}
