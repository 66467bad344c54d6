/**
 * The only source of "now" the domain and application use. Injected so that
 * expiry rules are testable without sleeping.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** Adds seconds to an instant without mutating it. */
export function addSeconds(instant: Date, seconds: number): Date {
  return new Date(instant.getTime() + seconds * 1000);
}
