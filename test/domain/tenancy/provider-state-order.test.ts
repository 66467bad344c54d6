import { describe, expect, it } from 'vitest';
import { isOlderProviderState, latestProviderTime, revivesDeleted } from '../../../src/domain/tenancy/provider-state-order.js';

const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));

describe('provider state order (identity mirror)', () => {
  it('ignores only states strictly older than the one applied; unknown times are applied', () => {
    expect(isOlderProviderState(t(10), t(9))).toBe(true);
    expect(isOlderProviderState(t(10), t(10))).toBe(false);
    expect(isOlderProviderState(t(10), t(11))).toBe(false);
    expect(isOlderProviderState(null, t(1))).toBe(false);
    expect(isOlderProviderState(t(10), null)).toBe(false);
  });

  it('revives a deleted object only with a state stamped strictly after the deletion', () => {
    expect(revivesDeleted(t(10), t(11))).toBe(true);
    expect(revivesDeleted(t(10), t(10))).toBe(false);
    expect(revivesDeleted(t(10), t(9))).toBe(false);
    expect(revivesDeleted(t(10), null)).toBe(false);
  });

  it('keeps the latest known time', () => {
    expect(latestProviderTime(t(1), t(2))).toEqual(t(2));
    expect(latestProviderTime(t(2), t(1))).toEqual(t(2));
    expect(latestProviderTime(null, t(1))).toEqual(t(1));
    expect(latestProviderTime(t(1), null)).toEqual(t(1));
    expect(latestProviderTime(null, null)).toBeNull();
  });
});
