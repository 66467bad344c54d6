import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildOrganizationAccessView,
  decide,
  effectivePermissions,
  grantingLevel,
} from '../../../src/domain/access/index.js';
import type { OrganizationAccessData, OrganizationAccessView } from '../../../src/domain/access/index.js';
import { organizationArb, QUERY_ACTIONS, QUERY_ENTITIES, QUERY_MEMBERS } from './access-arbitraries.js';
import {
  referenceDecide,
  referenceGrantingLevel,
  referenceLevel,
  referencePermissions,
} from './reference-resolver.js';

const RUNS = 1_000;

function build(org: OrganizationAccessData, sparse: boolean): OrganizationAccessView {
  const result = buildOrganizationAccessView(org, sparse ? { denseGrantCellLimit: 0 } : {});
  if (!result.ok) throw new Error(`generated organization rejected: ${result.error.code}`);
  return result.view;
}

describe('decide agrees with the reference resolver', () => {
  it('on every (member, action, entity) of random organizations, dense and sparse grants', () => {
    fc.assert(
      fc.property(organizationArb, fc.boolean(), (org, sparse) => {
        const view = build(org, sparse);
        for (const memberId of QUERY_MEMBERS) {
          for (const action of QUERY_ACTIONS) {
            for (const entityId of QUERY_ENTITIES) {
              const fast = decide(view, memberId, action, entityId);
              const expected = referenceDecide(org, memberId, action, entityId);
              if (fast.allowed !== expected.allowed || fast.level !== expected.level || fast.reason !== expected.reason) {
                expect({ memberId, action, entityId, ...fast }).toEqual({ memberId, action, entityId, ...expected });
              }
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('effectivePermissions matches the reference for every member', () => {
    fc.assert(
      fc.property(organizationArb, (org) => {
        const view = build(org, false);
        for (const memberId of QUERY_MEMBERS) {
          const result = effectivePermissions(view, memberId);
          const member = org.members.find((candidate) => candidate.memberId === memberId);
          if (member === undefined) {
            expect(result).toEqual({ ok: false, reason: 'not_a_member' });
            continue;
          }
          if (!result.ok) throw new Error('member not found');
          expect(result.value.permissions).toEqual(referencePermissions(org, memberId));
          expect(result.value.systemRole).toBe(member.systemRole);
          expect(result.value.entityLevel).toBe(referenceLevel(org, memberId, undefined).level);
          for (const grant of result.value.grants) {
            expect(referenceLevel(org, memberId, grant.entityId)).toEqual({ level: grant.level, reason: 'grant' });
          }
          const effectiveGrantCount = org.grants.filter(
            (grant) => grant.memberId === memberId && referenceLevel(org, memberId, grant.entityId).reason === 'grant',
          ).length;
          expect(result.value.grants).toHaveLength(effectiveGrantCount);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('grantingLevel is the highest level whose every action decide allows', () => {
    fc.assert(
      fc.property(organizationArb, fc.boolean(), (org, sparse) => {
        const view = build(org, sparse);
        for (const memberId of QUERY_MEMBERS) {
          for (const entityId of QUERY_ENTITIES) {
            if (entityId === undefined) continue;
            expect(grantingLevel(view, memberId, entityId)).toBe(referenceGrantingLevel(org, memberId, entityId));
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('decide metamorphic properties', () => {
  it('grants never change anything for org admins and managers', () => {
    fc.assert(
      fc.property(organizationArb, (org) => {
        const seniors = new Set(
          org.members.filter((m) => m.systemRole === 'admin' || m.systemRole === 'manager').map((m) => m.memberId),
        );
        const withGrants = build(org, false);
        const withoutGrants = build({ ...org, grants: org.grants.filter((g) => !seniors.has(g.memberId)) }, false);
        for (const memberId of seniors) {
          for (const action of QUERY_ACTIONS) {
            for (const entityId of QUERY_ENTITIES) {
              expect(decide(withGrants, memberId, action, entityId)).toBe(decide(withoutGrants, memberId, action, entityId));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('removing a member’s custom roles never allows more', () => {
    fc.assert(
      fc.property(organizationArb, (org) => {
        const full = build(org, false);
        const bare = build({ ...org, members: org.members.map((m) => ({ ...m, customRoleKeys: [] })) }, false);
        for (const memberId of QUERY_MEMBERS) {
          for (const action of QUERY_ACTIONS) {
            for (const entityId of QUERY_ENTITIES) {
              if (decide(bare, memberId, action, entityId).allowed) {
                expect(decide(full, memberId, action, entityId).allowed).toBe(true);
              }
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
