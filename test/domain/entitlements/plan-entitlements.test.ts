import { describe, expect, it } from 'vitest';
import { checkAddition, entitlementsFor, isEntitlementPlan, PLAN_ENTITLEMENTS } from '../../../src/domain/entitlements/plan-entitlements.js';

describe('plan entitlements', () => {
  it('maps each plan to the documented limits (docs/entitlements.md)', () => {
    expect(entitlementsFor(null).limits).toEqual({ entities: 5, members: 5 });
    expect(entitlementsFor('starter').limits).toEqual({ entities: 50, members: 10 });
    expect(entitlementsFor('professional').limits).toEqual({ entities: 200, members: 50 });
    expect(entitlementsFor('enterprise').limits).toEqual({ entities: null, members: null });
  });

  it('gives larger plans a superset of the features of smaller ones', () => {
    const order = ['free', 'starter', 'professional', 'enterprise'] as const;
    for (let i = 1; i < order.length; i++) {
      const smaller = PLAN_ENTITLEMENTS[order[i - 1]!].features;
      expect(PLAN_ENTITLEMENTS[order[i]!].features).toEqual(expect.arrayContaining([...smaller]));
    }
    expect(entitlementsFor('professional').features).toContain('sso');
    expect(entitlementsFor(null).features).toEqual([]);
  });

  it('treats no plan and an unknown plan value as free (fails closed, never open to unlimited)', () => {
    expect(entitlementsFor(null).plan).toBe('free');
    expect(entitlementsFor('platinum-legacy').plan).toBe('free');
    expect(entitlementsFor('__proto__').plan).toBe('free');
    expect(isEntitlementPlan('toString')).toBe(false);
  });

  it('is frozen, so nobody raises a limit at run time', () => {
    expect(Object.isFrozen(PLAN_ENTITLEMENTS.starter.limits)).toBe(true);
    expect(Object.isFrozen(PLAN_ENTITLEMENTS.starter.features)).toBe(true);
  });

  describe('checkAddition', () => {
    const starter = entitlementsFor('starter');

    it('allows up to and including the limit', () => {
      expect(checkAddition(starter, { entities: 49, members: 0 }, 'entities')).toEqual({ allowed: true });
      expect(checkAddition(starter, { entities: 48, members: 0 }, 'entities', 2)).toEqual({ allowed: true });
      expect(checkAddition(starter, { entities: 0, members: 9 }, 'members')).toEqual({ allowed: true });
    });

    it('refuses past the limit with kind, limit, used and requested', () => {
      expect(checkAddition(starter, { entities: 50, members: 0 }, 'entities')).toEqual({ allowed: false, kind: 'entities', limit: 50, used: 50, requested: 1 });
      expect(checkAddition(starter, { entities: 49, members: 0 }, 'entities', 2)).toEqual({ allowed: false, kind: 'entities', limit: 50, used: 49, requested: 2 });
      expect(checkAddition(starter, { entities: 0, members: 10 }, 'members')).toMatchObject({ allowed: false, kind: 'members', limit: 10 });
    });

    it('after a downgrade below usage, refuses every addition of that kind but not of the other', () => {
      // 120 entities bought on professional, now on starter: nothing is trimmed, nothing more is added.
      const usage = { entities: 120, members: 3 };
      expect(checkAddition(starter, usage, 'entities')).toMatchObject({ allowed: false, used: 120, limit: 50 });
      expect(checkAddition(starter, usage, 'members')).toEqual({ allowed: true });
    });

    it('never refuses on an unlimited plan', () => {
      expect(checkAddition(entitlementsFor('enterprise'), { entities: 1_000_000, members: 1_000_000 }, 'entities', 1000)).toEqual({ allowed: true });
      expect(checkAddition(entitlementsFor('enterprise'), { entities: 0, members: 1_000_000 }, 'members')).toEqual({ allowed: true });
    });
  });
});
