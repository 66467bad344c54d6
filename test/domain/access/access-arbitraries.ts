// fast-check generators for random organizations and access queries. Pools are small on purpose
// so members, roles, grants and queries collide often; they include prototype-ish ids.
import fc from 'fast-check';
import type {
  CustomRole,
  EntityGrant,
  EntityLevel,
  MemberAccess,
  OrganizationAccessData,
  SystemRole,
} from '../../../src/domain/access/index.js';
import { CATALOGUE } from './reference-resolver.js';

export const MEMBER_POOL = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', '__proto__', 'constructor'] as const;
export const ENTITY_POOL = ['e0', 'e1', 'e2', 'e3', 'e4', 'toString', '__proto__'] as const;
export const ROLE_KEY_POOL = ['ops', 'auditor', 'billing-ro', 'editor_all', 'sharer'] as const;
export const BOGUS_ACTIONS = ['', 'entity:*', 'ENTITY:VIEW', 'entity:fly', '__proto__', 'hasOwnProperty', 'credits'] as const;

const systemRoleArb = fc.constantFrom<SystemRole>('admin', 'manager', 'member', 'viewer');
const levelArb = fc.constantFrom<EntityLevel>('viewer', 'editor', 'manager', 'admin');

const customRoleArb: fc.Arbitrary<CustomRole> = fc.record({
  key: fc.constantFrom(...ROLE_KEY_POOL),
  name: fc.constantFrom('Ops', 'Auditor', 'Billing read-only'),
  permissions: fc.subarray([...CATALOGUE]),
});

/** A random, valid organization: unique members and role keys, at most one grant per pair. */
export const organizationArb: fc.Arbitrary<OrganizationAccessData> = fc
  .record({
    customRoles: fc.uniqueArray(customRoleArb, { selector: (role) => role.key, maxLength: 4 }),
    members: fc.uniqueArray(fc.record({ memberId: fc.constantFrom(...MEMBER_POOL), systemRole: systemRoleArb }), {
      selector: (member) => member.memberId,
      maxLength: MEMBER_POOL.length,
    }),
  })
  .chain(({ customRoles, members }) => {
    const keys = customRoles.map((role) => role.key);
    const memberArbs = members.map((member) =>
      fc.subarray(keys).map((customRoleKeys): MemberAccess => ({ ...member, customRoleKeys })),
    );
    const grantArb: fc.Arbitrary<EntityGrant[]> =
      members.length === 0
        ? fc.constant([])
        : fc.uniqueArray(
            fc.record({
              memberId: fc.constantFrom(...members.map((member) => member.memberId)),
              entityId: fc.constantFrom(...ENTITY_POOL),
              level: levelArb,
            }),
            { selector: (grant) => `${grant.memberId} ${grant.entityId}`, maxLength: 20 },
          );
    return fc.record({
      organizationId: fc.constant('org-1'),
      members: fc.tuple(...memberArbs).map((list): MemberAccess[] => list),
      customRoles: fc.constant(customRoles),
      grants: grantArb,
    });
  });

/** Every member id, action and entity a query can name, including misses. */
export const QUERY_MEMBERS: readonly string[] = [...MEMBER_POOL, 'nobody'];
export const QUERY_ACTIONS: readonly string[] = [...CATALOGUE, ...BOGUS_ACTIONS];
export const QUERY_ENTITIES: readonly (string | undefined)[] = [...ENTITY_POOL, 'e-ungranted', undefined];
