// A refresh racing a revocation must never bring the revoked session back. The race is made certain: another
// connection holds the session row while the refresh starts, then revokes the session and commits.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Session } from '../../../src/domain/credentials/session.js';
import { at, LIFETIMES, newSession, newTokenHash, newUser } from '../../contracts/fixtures.js';
import { postgresLabel, postgresPersistence, type TestDatabase } from '../../support/test-database.js';

describe(`refresh-token rotation against a concurrent revocation [${postgresLabel()}]`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await postgresPersistence();
  });
  afterAll(() => db.cleanup());

  /** A user with a live session and its refresh-token hash. */
  async function signedIn() {
    const user = newUser();
    await db.persistence.users.save(user);
    const session = newSession(user, { now: at(0) });
    const hash = newTokenHash();
    await db.persistence.sessions.create(session, hash);
    return { user, session, hash };
  }

  it('leaves the session revoked and answers unknown', async () => {
    const p = db.persistence;
    const { session, hash } = await signedIn();

    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select 1 from sessions where id = $1 for update', [session.id]);
      const rotating = p.sessions.rotate(hash, newTokenHash(), at(60), (s) => s.touch(at(60), LIFETIMES));
      await new Promise((r) => setTimeout(r, 300)); // the refresh has reached the row by now
      await other.query("update sessions set revoked_at = $2, revoked_reason = 'logout_everywhere' where id = $1", [session.id, at(30)]);
      await other.query('commit');
      expect((await rotating).kind).toBe('unknown');
    } finally {
      await other.end();
    }
    expect((await p.sessions.findById(session.id))?.revokedAt).toEqual(at(30));
  });

  it('a succession (switching organization) waits for a rotation under way: the token it issued moves with the family', async () => {
    const p = db.persistence;
    const { user, session, hash } = await signedIn();
    const next = Session.start({ id: randomUUID(), userId: user.id, tenantId: null, membershipId: null, amr: ['pwd'], userAgent: null, ip: null, now: at(61), lifetimes: LIFETIMES, notAfter: session.expiresAt });

    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    const issued = newTokenHash();
    try {
      // The refresh has burnt its token and waits for the session row, which another transaction holds.
      await other.query('begin');
      await other.query('select 1 from sessions where id = $1 for update', [session.id]);
      const rotating = p.sessions.rotate(hash, issued, at(60), (s) => s.touch(at(60), LIFETIMES));
      await new Promise((r) => setTimeout(r, 300));
      const succeeding = p.sessions.succeed(session.id, next, at(61), 'switched_organization');
      await new Promise((r) => setTimeout(r, 300));
      await other.query('commit');
      expect((await rotating).kind).toBe('rotated');
      expect(await succeeding).toBe(true);
    } finally {
      await other.end();
    }
    // The token the refresh handed out refreshes the new session.
    expect(await p.sessions.findByRefreshTokenHash(issued)).toMatchObject({ id: next.id });
    expect((await p.sessions.rotate(issued, newTokenHash(), at(120), () => {})).kind).toBe('rotated');
  });
});
