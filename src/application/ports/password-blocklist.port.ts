/** Passwords too common to accept (NIST SP 800-63B: check against known-breached or common values). */
export interface PasswordBlocklist {
  /** Whether the password (compared case-insensitively) is on the list. */
  isCommon(password: string): boolean;
}
