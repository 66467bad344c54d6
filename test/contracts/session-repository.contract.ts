import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Session } from '../../src/domain/credentials/session.js';
import { type ContractSuite, LIFETIMES, T0, at, expectCode, newAuditEvent, newMembership, newOrganization, newSession, newTokenHash, newUser, seedMember, useStore } from './fixtures.js';

export const sessionRepositoryContract: ContractSuite = (name, makePersistence) => {
  describe(`SessionRepository contract [${name}]`, () => {
    const store = useStore(makePersistence);

    async function signedIn(now = T0) {
      const user = newUser();
      await store().users.save(user);
      const session = newSession(user, { now });
      const hash = newTokenHash();
      await store().sessions.create(session, hash);
      return { user, session, hash };
    }

    it('creates a session and finds it by id and by refresh-token hash', async () => {
      const { org, user, membership } = await seedMember(store());
      const session = newSession(user, { org, membership });
      const hash = newTokenHash();
      await store().sessions.create(session, hash);
      const found = await store().sessions.findById(session.id);
      expect(found).toBeInstanceOf(Session);
      expect(found).toEqual(session);
      expect(await store().sessions.findByRefreshTokenHash(hash)).toEqual(session);
      expect(await store().sessions.findByRefreshTokenHash(newTokenHash())).toBeNull();
      expect(await store().sessions.findById('missing')).toBeNull();
    });

    it('writes the audit event of the sign-in with the session: both or neither', async () => {
      const { org, user, membership } = await seedMember(store());
      const session = newSession(user, { org, membership });
      const event = newAuditEvent(org.id, { actorUserId: user.id, metadata: { method: 'password', result: 'authenticated' } });
      await store().sessions.create(session, newTokenHash(), event);
      expect(await store().sessions.findById(session.id)).toEqual(session);
      expect((await store().audit.list(org.id, { limit: 10 })).events).toEqual([event]);

      // The event cannot be written (its id is taken): no session, no refresh token.
      const refused = newSession(user, { org, membership });
      const refusedHash = newTokenHash();
      await expectCode(store().sessions.create(refused, refusedHash, { ...event, metadata: { replayed: true } }), 'CONCURRENT_MODIFICATION');
      expect(await store().sessions.findById(refused.id)).toBeNull();
      expect(await store().sessions.findByRefreshTokenHash(refusedHash)).toBeNull();

      // The session cannot be written (its membership is gone): no event.
      await store().memberships.delete(org.id, membership.id);
      const orphan = newAuditEvent(org.id, { actorUserId: user.id });
      await expectCode(store().sessions.create(newSession(user, { org, membership }), newTokenHash(), orphan), 'MEMBER_NOT_FOUND');
      expect((await store().audit.list(org.id, { limit: 10 })).events).toEqual([event]);
    });

    it('refuses a session of an unknown user', async () => {
      const ghost = newUser();
      await expectCode(store().sessions.create(newSession(ghost), newTokenHash()), 'USER_NOT_FOUND');
    });

    it('lists a user’s live sessions newest first, without revoked, idle or expired ones', async () => {
      const user = newUser();
      await store().users.save(user);
      const [old, recent, revoked, idle] = [newSession(user, { now: at(0) }), newSession(user, { now: at(600) }), newSession(user, { now: at(60) }), newSession(user, { now: at(-3000) })];
      const expired = newSession(user, { now: at(-LIFETIMES.absoluteLifetimeSeconds - 10) });
      for (const s of [old, recent, revoked, idle, expired]) await store().sessions.create(s, newTokenHash());
      await store().sessions.revoke(revoked.id, at(700), 'logout');
      const now = at(1000);
      expect((await store().sessions.listActiveByUser(user.id, now)).map((s) => s.id)).toEqual([recent.id, old.id]);
    });

    it('rotates a live refresh token once: the next hash works, the old one is reported as reused', async () => {
      const { user, session, hash } = await signedIn();
      const next = newTokenHash();
      const result = await store().sessions.rotate(hash, next, at(600), (s) => s.touch(at(600), LIFETIMES));
      expect(result.kind).toBe('rotated');
      if (result.kind !== 'rotated') return;
      expect(result.session.id).toBe(session.id);
      expect(result.session.lastUsedAt).toEqual(at(600));
      expect((await store().sessions.findById(session.id))?.idleExpiresAt).toEqual(at(600 + LIFETIMES.idleTimeoutSeconds));
      expect(await store().sessions.findByRefreshTokenHash(next)).toMatchObject({ id: session.id });

      expect(await store().sessions.rotate(hash, newTokenHash(), at(700), () => {})).toEqual({ kind: 'reused', sessionId: session.id, userId: user.id, tenantId: null });
      expect((await store().sessions.rotate(next, newTokenHash(), at(800), () => {})).kind).toBe('rotated');
    });

    it('reports the organization of a session whose refresh token is replayed', async () => {
      const { org, user, membership } = await seedMember(store());
      const session = newSession(user, { org, membership });
      const hash = newTokenHash();
      await store().sessions.create(session, hash);
      expect((await store().sessions.rotate(hash, newTokenHash(), at(600), () => {})).kind).toBe('rotated');
      expect(await store().sessions.rotate(hash, newTokenHash(), at(700), () => {})).toEqual({ kind: 'reused', sessionId: session.id, userId: user.id, tenantId: org.id });
    });

    it('answers unknown for a hash never issued, and for a token of a session that is no longer live', async () => {
      expect(await store().sessions.rotate(newTokenHash(), newTokenHash(), T0, () => {})).toEqual({ kind: 'unknown' });
      const revoked = await signedIn();
      await store().sessions.revoke(revoked.session.id, at(1), 'logout');
      expect(await store().sessions.rotate(revoked.hash, newTokenHash(), at(2), () => {})).toEqual({ kind: 'unknown' });
      const idle = await signedIn();
      expect(await store().sessions.rotate(idle.hash, newTokenHash(), at(LIFETIMES.idleTimeoutSeconds + 1), () => {})).toEqual({ kind: 'unknown' });
    });

    it('lets exactly one of 10 concurrent rotations of one token win; the others see reuse', async () => {
      const { session, hash } = await signedIn();
      const results = await Promise.all(Array.from({ length: 10 }, () => store().sessions.rotate(hash, newTokenHash(), at(60), (s) => s.touch(at(60), LIFETIMES))));
      expect(results.filter((r) => r.kind === 'rotated')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'reused')).toHaveLength(9);
      expect(results.every((r) => r.kind !== 'reused' || r.sessionId === session.id)).toBe(true);
    });

    it('lets a new session succeed a live one: it takes over the refresh tokens (a replayed rotated one still reports reuse), the old one is revoked', async () => {
      const { user, session, hash } = await signedIn();
      const org = newOrganization();
      await store().orgs.save(org);
      const membership = newMembership(org, user, 'member');
      await store().memberships.save(membership);
      const current = newTokenHash();
      expect((await store().sessions.rotate(hash, current, at(60), () => {})).kind).toBe('rotated');
      const next = Session.start({ ...sessionInput(session), id: randomUUID(), tenantId: org.id, membershipId: membership.id, now: at(120), lifetimes: LIFETIMES, notAfter: session.expiresAt });

      expect(await store().sessions.succeed(session.id, next, at(120), 'switched_organization')).toBe(true);
      expect(await store().sessions.findById(next.id)).toEqual(next);
      expect(await store().sessions.findById(session.id)).toMatchObject({ revokedAt: at(120), revokedReason: 'switched_organization' });
      expect(await store().sessions.findByRefreshTokenHash(current)).toMatchObject({ id: next.id });
      const rotated = await store().sessions.rotate(current, newTokenHash(), at(180), () => {});
      expect(rotated.kind === 'rotated' && rotated.session.id).toBe(next.id);
      expect(await store().sessions.rotate(hash, newTokenHash(), at(240), () => {})).toMatchObject({ kind: 'reused', sessionId: next.id });

      // A session that is no longer live is not succeeded: nothing is written.
      const later = Session.start({ ...sessionInput(session), id: randomUUID(), now: at(300), lifetimes: LIFETIMES });
      expect(await store().sessions.succeed(session.id, later, at(300), 'switched_organization')).toBe(false);
      expect(await store().sessions.findById(later.id)).toBeNull();
    });

    it('revokes one session idempotently and says whether it was live', async () => {
      const { session } = await signedIn();
      expect(await store().sessions.revoke(session.id, at(10), 'revoked_by_user')).toBe(true);
      expect(await store().sessions.revoke(session.id, at(20), 'logout')).toBe(false);
      const stored = await store().sessions.findById(session.id);
      expect(stored?.revokedAt).toEqual(at(10));
      expect(stored?.revokedReason).toBe('revoked_by_user');
      expect(await store().sessions.revoke('missing', at(10), 'logout')).toBe(false);
      const ended = await signedIn();
      expect(await store().sessions.revoke(ended.session.id, at(LIFETIMES.absoluteLifetimeSeconds), 'logout')).toBe(false);
    });

    it('revokes all live sessions of a user, except the one asked for', async () => {
      const user = newUser();
      await store().users.save(user);
      const [keep, a, b, gone] = [newSession(user), newSession(user), newSession(user), newSession(user)];
      for (const s of [keep, a, b, gone]) await store().sessions.create(s, newTokenHash());
      await store().sessions.revoke(gone.id, at(1), 'logout');
      const revoked = await store().sessions.revokeAllForUser(user.id, at(2), 'logout_everywhere', keep.id);
      expect(revoked.sort()).toEqual([a.id, b.id].sort());
      expect((await store().sessions.listActiveByUser(user.id, at(3))).map((s) => s.id)).toEqual([keep.id]);
      expect((await store().sessions.findById(gone.id))?.revokedReason).toBe('logout');
      expect(await store().sessions.revokeAllForUser(user.id, at(4), 'password_changed')).toEqual([keep.id]);
    });

    it('revokes all live sessions of a membership, and only those', async () => {
      const { org, user, membership } = await seedMember(store());
      const inOrg = newSession(user, { org, membership });
      const personal = newSession(user);
      await store().sessions.create(inOrg, newTokenHash());
      await store().sessions.create(personal, newTokenHash());
      expect(await store().sessions.revokeAllForMembership('other-tenant', membership.id, at(1), 'member_removed')).toEqual([]);
      expect(await store().sessions.revokeAllForMembership(org.id, membership.id, at(1), 'member_removed')).toEqual([inOrg.id]);
      expect((await store().sessions.listActiveByUser(user.id, at(2))).map((s) => s.id)).toEqual([personal.id]);
    });

    it('deletes sessions that ended before a date, with their refresh tokens', async () => {
      const past = new Date('2001-01-01T00:00:00.000Z');
      const user = newUser();
      await store().users.save(user);
      const expired = newSession(user, { now: new Date(past.getTime() - LIFETIMES.absoluteLifetimeSeconds * 1000 - 5000) });
      const revoked = newSession(user, { now: past });
      const live = newSession(user, { now: past });
      const expiredHash = newTokenHash();
      await store().sessions.create(expired, expiredHash);
      await store().sessions.create(revoked, newTokenHash());
      await store().sessions.create(live, newTokenHash());
      await store().sessions.revoke(revoked.id, new Date(past.getTime() + 1000), 'logout');
      expect(await store().sessions.deleteExpired(new Date(past.getTime() + 2000))).toBe(2);
      expect(await store().sessions.findById(expired.id)).toBeNull();
      expect(await store().sessions.findByRefreshTokenHash(expiredHash)).toBeNull();
      expect(await store().sessions.findById(live.id)).not.toBeNull();
    });
  });
};

/** The fields Session.start needs, taken from an existing session (same user, device and factors). */
function sessionInput(session: Session) {
  return { userId: session.userId, tenantId: session.tenantId, membershipId: session.membershipId, amr: session.amr, userAgent: session.userAgent, ip: session.ip };
}
