/**
 * An asymmetric key that signs access tokens. One is `active` (signs); previous
 * keys stay `retiring` and keep verifying until every token they signed has expired.
 */
export interface SigningKey {
  kid: string;
  algorithm: 'EdDSA' | 'ES256';
  publicJwk: Record<string, string>;
  /** The private JWK, possibly encrypted at rest (the adapter knows how). */
  privateKey: string;
  status: 'active' | 'retiring';
  createdAt: Date;
  /** When the key stopped signing; null while active. */
  retiredAt: Date | null;
}

/**
 * How often a node reloads its keys before it signs. A key retired by another node (or the CLI) may
 * therefore still sign for this long after `retiredAt`.
 */
export const KEY_RELOAD_SECONDS = 60;

/**
 * Whether a retiring key can still have unexpired tokens in circulation: ones signed until the last
 * node noticed the rotation (twice the reload interval, for clock skew between nodes), plus their lifetime.
 */
export function stillVerifies(key: SigningKey, now: Date, accessTokenTtlSeconds: number): boolean {
  if (key.status === 'active' || key.retiredAt === null) return true;
  return now.getTime() < key.retiredAt.getTime() + (accessTokenTtlSeconds + 2 * KEY_RELOAD_SECONDS) * 1000;
}
