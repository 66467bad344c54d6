/**
 * A fixed-window counter: at most `limit` attempts per key in `windowSeconds` (the window starts at
 * the key's first attempt). The attempt after the limit is refused until the window ends.
 */
export interface WindowPolicy {
  readonly kind: 'window';
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * Progressive lockout on attempts not yet ended by a success (`reset`). `freeAttempts` attempts pass;
 * the last of them starts a lock of `firstLockSeconds`. After each lock exactly one more attempt passes
 * and starts a lock twice as long, capped at `maxLockSeconds`. Counts and lock levels are forgotten
 * `memorySeconds` after they start.
 */
export interface LockoutPolicy {
  readonly kind: 'lockout';
  readonly freeAttempts: number;
  readonly firstLockSeconds: number;
  readonly maxLockSeconds: number;
  readonly memorySeconds: number;
}

/**
 * A remembered fact about a key ("this account signed in from this IP before"), for `ttlSeconds`.
 * Every duration in a policy stays under 24 days: in-process counters expire keys with timers,
 * and Node fires a longer timer after 1 ms.
 */
export interface FlagPolicy {
  readonly kind: 'flag';
  readonly ttlSeconds: number;
}

/** One abuse-protection policy. */
export type RateLimitPolicy = WindowPolicy | LockoutPolicy | FlagPolicy;

const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Every abuse-protection policy, names and numbers in one place (see docs/adr/0004-rate-limits.md).
 * Key conventions (`rateLimitKeys`): IP = the client IP from request meta; account = the normalized
 * email, never the user id, so an unknown email is limited exactly like a known one.
 */
export const RATE_LIMIT_POLICIES = {
  /** Password sign-in attempts per client IP, success or not: caps one IP spraying many accounts. */
  login_ip: { kind: 'window', limit: 20, windowSeconds: MINUTE },
  /** Failed sign-ins per account + IP: 5 tries, then one try per lock of 1, 2, 4 … 60 minutes. */
  login_account_ip: { kind: 'lockout', freeAttempts: 5, firstLockSeconds: MINUTE, maxLockSeconds: HOUR, memorySeconds: DAY },
  /**
   * Failed sign-ins per account from all IPs (successes are refunded). Over it, the account refuses
   * IPs it has not signed in from (`login_known_ip`), so a spray from many IPs cannot lock the owner out.
   */
  login_account: { kind: 'window', limit: 100, windowSeconds: HOUR },
  /** Account + IP pairs that signed in successfully in the last 3 weeks: exempt from the `login_account` cap. */
  login_known_ip: { kind: 'flag', ttlSeconds: 21 * DAY },
  /** Registrations per client IP. */
  register_ip: { kind: 'window', limit: 20, windowSeconds: HOUR },
  /**
   * Registrations per address (normalized email). Never refuses: over it, a taken address is not mailed
   * about the attempt any more (`account_exists`), and the answer stays the one a new address gets.
   */
  register_account: { kind: 'window', limit: 3, windowSeconds: HOUR },
  /** Code attempts per MFA challenge (key: the challenge/mfaToken id); then the challenge is dead. */
  mfa_token: { kind: 'window', limit: 5, windowSeconds: HOUR },
  /**
   * Second-factor codes per account from all networks (key: user id; successes refunded). Over it, only
   * networks that passed this account's second factor before (`mfa_known_ip`) may try, so codes cannot be
   * guessed from many addresses at once, and the owner is not locked out by whoever knows the password.
   */
  mfa_account: { kind: 'window', limit: 20, windowSeconds: HOUR },
  /**
   * Second-factor codes per user + client network: 5 tries, then one try per lock of 1, 2, 4 … 60 minutes;
   * a success ends it. Keyed by network so that whoever knows the password cannot lock the owner out.
   */
  mfa_account_ip: { kind: 'lockout', freeAttempts: 5, firstLockSeconds: MINUTE, maxLockSeconds: HOUR, memorySeconds: DAY },
  /** User + network pairs that passed a second factor in the last 3 weeks: exempt from the `mfa_account` cap. */
  mfa_known_ip: { kind: 'flag', ttlSeconds: 21 * DAY },
  /**
   * Wrong current passwords when changing it, per account (key: user id — only reachable with an access
   * token): a stolen token must not become unlimited guessing of the password. Reset on success.
   */
  password_change_account: { kind: 'lockout', freeAttempts: 5, firstLockSeconds: MINUTE, maxLockSeconds: HOUR, memorySeconds: DAY },
  /** Password-reset requests per client IP. */
  password_reset_ip: { kind: 'window', limit: 10, windowSeconds: HOUR },
  /** Password-reset mails per account (normalized email): stops mail-bombing one inbox. */
  password_reset_account: { kind: 'window', limit: 3, windowSeconds: HOUR },
  /** Magic-link requests per client IP. */
  magic_link_ip: { kind: 'window', limit: 10, windowSeconds: HOUR },
  /** Magic-link mails per account (normalized email). */
  magic_link_account: { kind: 'window', limit: 5, windowSeconds: HOUR },
  /** Activation-resend requests per client IP. */
  activation_resend_ip: { kind: 'window', limit: 10, windowSeconds: HOUR },
  /**
   * Activation or invitation mails per account (normalized email), whoever causes them: an admin adding the
   * address (beyond it the member is added without a mail), an admin's resend, or the person's own resend.
   */
  activation_resend_account: { kind: 'window', limit: 3, windowSeconds: HOUR },
  /** Anonymous checkouts (new organizations) per client IP: each one creates a session at the billing provider. */
  checkout_ip: { kind: 'window', limit: 20, windowSeconds: HOUR },
} as const satisfies Record<string, RateLimitPolicy>;

/** The name of a policy in {@link RATE_LIMIT_POLICIES}. */
export type RateLimitPolicyName = keyof typeof RATE_LIMIT_POLICIES;

/** Policies that count attempts (`consume`, `refund`, `reset`, `peek`). */
export type CountedPolicyName = { [K in RateLimitPolicyName]: (typeof RATE_LIMIT_POLICIES)[K]['kind'] extends 'flag' ? never : K }[RateLimitPolicyName];

/** Fixed-window policies (the only ones `refund` accepts: giving back a lockout attempt could skip a lock). */
export type WindowPolicyName = { [K in RateLimitPolicyName]: (typeof RATE_LIMIT_POLICIES)[K]['kind'] extends 'window' ? K : never }[RateLimitPolicyName];

/** Policies that remember a key (`remember`, `remembers`, `reset`). */
export type FlagPolicyName = Exclude<RateLimitPolicyName, CountedPolicyName>;

/** A policy table: the defaults, or smaller numbers in tests of an adapter. */
export type RateLimitPolicies = { readonly [K in RateLimitPolicyName]: (typeof RATE_LIMIT_POLICIES)[K] extends FlagPolicy ? FlagPolicy : (typeof RATE_LIMIT_POLICIES)[K] extends LockoutPolicy ? LockoutPolicy : WindowPolicy };
