import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, mailedToken, mailedTokens, organizationWithAdmin, startHarness } from '../support/http-harness.js';

/**
 * A person without an account invited by two organizations holds one activation link from each. A newer link
 * supersedes only the older ones of its own organization: one organization inviting or re-inviting the address
 * cannot kill another's link. The first activation completed spends them all; the other invitations stay pending.
 */
describe('activation links are kept per organization [builtin]', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const orgOf = (name: string) => organizationWithAdmin(h, name);
  type Org = Awaited<ReturnType<typeof orgOf>>;
  const add = async (o: Org, email: string) => {
    const res = await h.call('POST', `/api/v1/organizations/${o.org.id}/members`, { token: o.token, body: { email, role: 'member' } });
    expect([res.status, res.body.status]).toEqual([201, 'invited']);
    return res.body as { id: string };
  };
  const resend = (o: Org, id: string) => h.call('POST', `/api/v1/organizations/${o.org.id}/invitations/${id}/resend`, { token: o.token });
  const preview = (token: string) => h.call('GET', `/api/v1/auth/activation?token=${token}`);
  const newestLink = (email: string) => mailedToken(h, email, 'activation');

  it('another organization inviting the same address leaves the first organization\'s link working', async () => {
    const inviter = await orgOf('Inviter');
    const spoiler = await orgOf('Spoiler');
    const address = 'target@example.com';
    await add(inviter, address);
    const inviterLink = await newestLink(address);
    await add(spoiler, address);
    const spoilerLink = await newestLink(address);
    expect(spoilerLink).not.toBe(inviterLink);
    const stillThere = await preview(inviterLink);
    expect([stillThere.status, stillThere.body]).toEqual([200, expect.objectContaining({ email: address, organization: expect.objectContaining({ id: inviter.org.id }) })]);
    expect((await preview(spoilerLink)).body).toMatchObject({ email: address, organization: { id: spoiler.org.id } });
    const activated = await h.call('POST', '/api/v1/auth/activation', { body: { token: inviterLink, password: 'a fresh passphrase', name: 'Target' } });
    expect(activated.body).toMatchObject({ status: 'authenticated', organization: { id: inviter.org.id }, member: { roles: ['member'] } });
  });

  it('another organization resending its invitation supersedes only its own older link; activating then spends every link and leaves the other invitation pending', async () => {
    const resender = await orgOf('Resender');
    const inviter = await orgOf('Latecomer');
    const address = 'resent-to@example.com';
    const resenderInvitation = await add(resender, address);
    const resenderLink = await newestLink(address);
    await add(inviter, address);
    const inviterLink = await newestLink(address);

    expect((await resend(resender, resenderInvitation.id)).status).toBe(202);
    const resentLink = await newestLink(address);
    expect((await preview(resenderLink)).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    expect((await preview(resentLink)).body).toMatchObject({ organization: { id: resender.org.id } });
    const stillThere = await preview(inviterLink);
    expect([stillThere.status, stillThere.body]).toEqual([200, expect.objectContaining({ email: address, organization: expect.objectContaining({ id: inviter.org.id }) })]);

    const activated = await h.call('POST', '/api/v1/auth/activation', { body: { token: inviterLink, password: 'a fresh passphrase', name: 'Target' } });
    expect(activated.body).toMatchObject({ status: 'authenticated', organization: { id: inviter.org.id }, member: { roles: ['member'] } });
    // The account has its password now: the other organization's link is spent with it...
    expect((await preview(resentLink)).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    const late = await h.call('POST', '/api/v1/auth/activation', { body: { token: resentLink, password: 'another passphrase', name: 'Late' } });
    expect([late.status, late.body.code]).toEqual([400, 'ACTIVATION_TOKEN_INVALID']);
    // ...and its invitation stays pending, offered at sign-in; entering accepts it.
    const login = await h.call('POST', '/api/v1/auth/login', { body: { email: address, password: 'a fresh passphrase' } });
    expect(login.body.status).toBe('org_selection_required');
    expect(login.body.organizations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: inviter.org.id, membership: 'active_member' }),
        expect.objectContaining({ id: resender.org.id, membership: 'invited_member' }),
      ]),
    );
    const accepted = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: login.body.intermediateToken, organization: resender.org.id } });
    expect(accepted.body).toMatchObject({ status: 'authenticated', organization: { id: resender.org.id }, member: { roles: ['member'] } });
  });

  it('the person asking for their activation again renews one organization\'s link and leaves the other\'s', async () => {
    const first = await orgOf('First');
    const second = await orgOf('Second');
    const address = 'asks-again@example.com';
    await add(first, address);
    await add(second, address);
    const [secondLink, firstLink] = await mailedTokens(h, address, 'activation'); // newest first
    const linkOf = { [first.org.id]: firstLink!, [second.org.id]: secondLink! };

    expect((await h.call('POST', '/api/v1/auth/activation/resend', { body: { email: address } })).status).toBe(202);
    const renewed = await preview(await newestLink(address));
    expect(renewed.status).toBe(200);
    const renewedOrg = renewed.body.organization.id as string;
    const otherOrg = renewedOrg === first.org.id ? second.org.id : first.org.id;
    expect((await preview(linkOf[renewedOrg]!)).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    expect((await preview(linkOf[otherOrg]!)).body).toMatchObject({ organization: { id: otherOrg } });
  });
});
