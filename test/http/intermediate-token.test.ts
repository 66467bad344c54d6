import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signUp, startHarness } from '../support/http-harness.js';

const PASSWORD = 'correct horse battery staple';

/** The intermediate token is spent only on a choice that checks out; a refused one leaves it for another pick. */
describe('intermediate token: spent once, and only on a choice that checks out', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  /** A person in organizations of their own (two or more, so a password sign-in asks them to pick); returns their slugs and a fresh pick. */
  async function pickerWithOrganizations(tag: string, count = 2) {
    const email = `${tag}@example.com`;
    const first = await signUp(h, email);
    const slugs: string[] = [];
    for (let i = 1; i <= count; i++) slugs.push((await h.call('POST', '/api/v1/organizations', { token: first.accessToken, body: { name: `${tag} ${i}` } })).body.slug);
    const pick = async () => {
      const login = await h.call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
      expect(login.body.status).toBe('org_selection_required');
      return login.body.intermediateToken as string;
    };
    return { slugs, pick };
  }

  it('a pick refused as unknown, foreign or archived leaves the token; the next good pick spends it, and only once', async () => {
    const { slugs, pick } = await pickerWithOrganizations('picker', 3);
    const stranger = await signUp(h, 'picker-stranger@example.com');
    const foreign = (await h.call('POST', '/api/v1/organizations', { token: stranger.accessToken, body: { name: 'Picker Foreign' } })).body;
    const archived = (await h.gatehouse.persistence.orgs.findBySlug(slugs[2]!))!;
    archived.moveTo('archived', h.clock.now());
    await h.gatehouse.persistence.orgs.save(archived);

    const token = await pick();
    const exchange = (organization: string) => h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: token, organization } });
    expect([(await exchange('no-such-organization')).body.code, (await exchange(foreign.id)).body.code]).toEqual(['TENANT_NOT_FOUND', 'TENANT_NOT_FOUND']);
    const refused = await exchange(slugs[2]!);
    expect([refused.status, refused.body.code]).toEqual([403, 'TENANT_ARCHIVED']);
    // Refused picks wrote nothing: the foreign organization gained no member.
    expect(await h.gatehouse.persistence.memberships.listByTenant(foreign.id)).toHaveLength(1);

    const entered = await exchange(slugs[0]!);
    expect(entered.body).toMatchObject({ status: 'authenticated', organization: { slug: slugs[0] } });
    expect((await exchange(slugs[0]!)).body.code).toBe('INTERMEDIATE_TOKEN_INVALID');
    expect((await h.call('POST', '/api/v1/auth/discovery/organizations', { body: { intermediateToken: token } })).body.code).toBe('INTERMEDIATE_TOKEN_INVALID');
  });

  it('two concurrent exchanges of one token: exactly one session', async () => {
    const { slugs, pick } = await pickerWithOrganizations('racer');
    const token = await pick();
    const results = await Promise.all(
      [slugs[0]!, slugs[1]!, slugs[0]!, slugs[1]!].map((organization) => h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: token, organization } })),
    );
    expect(results.filter((r) => r.body.status === 'authenticated')).toHaveLength(1);
    expect(results.filter((r) => r.body.code === 'INTERMEDIATE_TOKEN_INVALID')).toHaveLength(3);
  });

  it('creating an organization with a taken or invalid slug leaves the token for another try; it is spent on success', async () => {
    const { slugs, pick } = await pickerWithOrganizations('founder2');
    const token = await pick();
    const create = (body: Record<string, string>) => h.call('POST', '/api/v1/auth/discovery/create-organization', { body: { intermediateToken: token, name: 'Third Venture', ...body } });
    const taken = await create({ slug: slugs[0]! });
    expect([taken.status, taken.body.code]).toEqual([409, 'TENANT_SLUG_TAKEN']);
    expect((await create({ slug: 'Not A Slug!' })).status).toBe(400);
    const created = await create({ slug: 'third-venture' });
    expect(created.body).toMatchObject({ status: 'authenticated', organization: { slug: 'third-venture' }, member: { roles: ['admin'] } });
    expect((await create({ slug: 'fourth-venture' })).body.code).toBe('INTERMEDIATE_TOKEN_INVALID');
    expect(await h.gatehouse.persistence.orgs.findBySlug('fourth-venture')).toBeNull();
  });
});
