/** Outcome of checking a password against a stored hash. */
export interface PasswordCheck {
  valid: boolean;
  /** The hash was made with older parameters and should be replaced after a successful check. */
  needsRehash: boolean;
}

/** Slow, salted password hashing, kept off the request thread pool. */
export interface PasswordHasher {
  /** A versioned hash string for a new password. */
  hash(password: string): Promise<string>;
  /** Checks a password in constant time relative to the stored hash. */
  verify(password: string, storedHash: string): Promise<PasswordCheck>;
  /** Performs the same work as `verify` against a dummy hash, so unknown accounts cost as much as known ones. */
  verifyDummy(password: string): Promise<void>;
}
