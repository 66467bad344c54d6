/**
 * Canonical form of an email address used for lookups: trimmed and lowercased.
 * The local part is case-insensitive in practice for every provider we serve.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The domain part of a normalized address. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}
