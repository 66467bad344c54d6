import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertMailable } from '../../../src/domain/mail/mail-template.js';
import {
  attemptFailed,
  claimed,
  DEFAULT_MAIL_RETRY_POLICY,
  delivered,
  exceedsAttempts,
  isClaimable,
  newOutboxMessage,
  nextAttemptAt,
  retryDelaySeconds,
  safeErrorText,
} from '../../../src/domain/mail/outbox-message.js';
import { addSeconds } from '../../../src/domain/shared/clock.js';
import { isDomainError } from '../../../src/domain/shared/domain-error.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const POLICY = { maxAttempts: 5, baseDelaySeconds: 10, maxDelaySeconds: 300 };
const message = () => newOutboxMessage({ id: 'm1', to: 'ada@example.com', template: 'magic_link', data: { link: 'https://g.test/l?t=x' }, now: T0 });

describe('outbox message', () => {
  it('walks pending → sending → sent, and pending → sending → pending → sending → failed', () => {
    const fresh = message();
    expect(fresh).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: T0, leaseUntil: null });
    expect(isClaimable(fresh, T0)).toBe(true);
    const leased = claimed(fresh, T0, 60);
    expect(leased).toMatchObject({ state: 'sending', attempts: 1, leaseUntil: addSeconds(T0, 60) });
    expect(isClaimable(leased, addSeconds(T0, 59))).toBe(false);
    expect(isClaimable(leased, addSeconds(T0, 60))).toBe(true);
    expect(delivered(leased, addSeconds(T0, 1), true)).toMatchObject({ state: 'sent', data: {}, sentAt: addSeconds(T0, 1), nextAttemptAt: null, leaseUntil: null });
    const retry = attemptFailed(leased, 'timeout', addSeconds(T0, 30), T0);
    expect(retry).toMatchObject({ state: 'pending', nextAttemptAt: addSeconds(T0, 30), lastError: 'timeout' });
    expect(isClaimable(retry, addSeconds(T0, 29))).toBe(false);
    const dead = attemptFailed(claimed(retry, addSeconds(T0, 30), 60), '550 gone', null, addSeconds(T0, 31));
    expect(dead).toMatchObject({ state: 'failed', attempts: 2, nextAttemptAt: null });
    expect(isClaimable(dead, new Date('2100-01-01'))).toBe(false);
  });

  it('backs off exponentially with equal jitter, capped', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelaySeconds(attempt, 0, POLICY))).toEqual([5, 10, 20, 40, 80, 150, 150]);
    expect(retryDelaySeconds(1, 0.999_999, POLICY)).toBeCloseTo(10);
    expect(retryDelaySeconds(1_000, 1, POLICY)).toBe(300);
    expect(retryDelaySeconds(1, -3, POLICY)).toBe(5);
  });

  it('keeps every delay within [half, all] of the capped exponential, whatever the jitter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, jitter) => {
        const full = Math.min(POLICY.maxDelaySeconds, POLICY.baseDelaySeconds * 2 ** (attempt - 1));
        const delay = retryDelaySeconds(attempt, jitter, POLICY);
        return delay >= full / 2 && delay <= full;
      }),
    );
  });

  it('gives up after the last attempt, and after leases lapsed too often', () => {
    expect(nextAttemptAt(4, T0, 0, POLICY)).toEqual(addSeconds(T0, 40));
    expect(nextAttemptAt(5, T0, 0, POLICY)).toBeNull();
    expect(exceedsAttempts({ ...message(), attempts: 5 }, POLICY)).toBe(false);
    expect(exceedsAttempts({ ...message(), attempts: 6 }, POLICY)).toBe(true);
    expect(DEFAULT_MAIL_RETRY_POLICY.maxAttempts).toBe(10);
  });

  it('stores errors without URLs, addresses or control characters, and capped', () => {
    expect(safeErrorText('550 <ada@example.com>: no\r\nsuch user at https://x.test/r?token=abc')).toBe('550 <[email]>: no such user at [url]');
    expect(safeErrorText('x'.repeat(1_000))).toHaveLength(300);
    expect(safeErrorText(' \n ')).toBe('unknown error');
  });
});

describe('assertMailable', () => {
  const code = (run: () => void) => {
    try {
      run();
      return null;
    } catch (error) {
      return isDomainError(error) ? error.code : error;
    }
  };

  it('accepts a complete mail and refuses the malformed ones with MAIL_DATA_INVALID', () => {
    expect(code(() => assertMailable('ada@example.com', 'invitation', { link: 'https://g.test/i?t=1', organizationName: 'Acme' }))).toBeNull();
    expect(code(() => assertMailable('ada@example.com', 'invitation', { link: 'https://g.test/i?t=1' }))).toBe('MAIL_DATA_INVALID');
    expect(code(() => assertMailable('ada@example.com', 'magic_link', { link: 'javascript:alert(1)' }))).toBe('MAIL_DATA_INVALID');
    expect(code(() => assertMailable('ada@example.com', 'magic_link', { link: '/relative?t=1' }))).toBe('MAIL_DATA_INVALID');
    expect(code(() => assertMailable('ada@example.com\r\nBcc: eve@example.com', 'magic_link', { link: 'https://g.test' }))).toBe('MAIL_DATA_INVALID');
    expect(code(() => assertMailable('not-an-address', 'magic_link', { link: 'https://g.test' }))).toBe('MAIL_DATA_INVALID');
    expect(code(() => assertMailable('ada@example.com', 'newsletter', { link: 'https://g.test' }))).toBe('MAIL_DATA_INVALID');
    expect(code(() => assertMailable('ada@example.com', 'mfa_changed', { change: 'enabled', count: 3 }))).toBe('MAIL_DATA_INVALID');
    expect(code(() => assertMailable('ada@example.com', 'mfa_changed', { change: 'x'.repeat(2049) }))).toBe('MAIL_DATA_INVALID');
  });
});
