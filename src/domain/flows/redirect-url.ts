/**
 * Whether a caller-supplied redirect URL may receive a magic-link token: only
 * origins Gatehouse is configured to trust, so a link cannot leak its token to an
 * attacker's site (open redirect). Compared as parsed origins, never as prefixes.
 */
export function isAllowedRedirect(url: string, allowedOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  if (parsed.username || parsed.password) return false;
  return allowedOrigins.includes(parsed.origin);
}
