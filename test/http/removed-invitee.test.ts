import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, mailedToken, organizationWithAdmin, startHarness } from '../support/http-harness.js';

/** An admin who removes an invited member before they accept takes the invitation back, link included. */
describe('an invitation removed before it is accepted [builtin]', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const orgOf = (name: string) => organizationWithAdmin(h, name);
  const activationToken = (email: string) => mailedToken(h, email, 'activation');
  const add = (o: { org: { id: string }; token: string }, email: string) =>
    h.call('POST', `/api/v1/organizations/${o.org.id}/members`, { token: o.token, body: { email, role: 'member' } });
  const remove = (o: { org: { id: string }; token: string }, memberId: string) => h.call('DELETE', `/api/v1/organizations/${o.org.id}/members/${memberId}`, { token: o.token });

  it('ends the activation link of an account the invitation created: nothing is activated, no onboarding step is done', async () => {
    const acme = await orgOf('Revoker');
    const added = await add(acme, 'newcomer@example.com');
    expect(added.body.status).toBe('invited');
    const token = await activationToken('newcomer@example.com');
    expect((await remove(acme, added.body.id)).status).toBe(204);

    expect((await h.call('GET', `/api/v1/auth/activation?token=${token}`)).body.code).toBe('ACTIVATION_TOKEN_INVALID');
    const activated = await h.call('POST', '/api/v1/auth/activation', { body: { token, password: 'a fresh passphrase', name: 'Newcomer' } });
    expect([activated.status, activated.body.code]).toEqual([400, 'ACTIVATION_TOKEN_INVALID']);
    expect((await h.call('POST', '/api/v1/auth/login', { body: { email: 'newcomer@example.com', password: 'a fresh passphrase' } })).body.code).toBe('INVALID_CREDENTIALS');
    // Asking for the activation again mails nothing: there is nothing left to activate into.
    const mails = (await h.gatehouse.persistence.outbox.listRecent('newcomer@example.com')).length;
    expect((await h.call('POST', '/api/v1/auth/activation/resend', { body: { email: 'newcomer@example.com' } })).status).toBe(202);
    expect((await h.gatehouse.persistence.outbox.listRecent('newcomer@example.com')).length).toBe(mails);
    const onboarding = await h.call('GET', `/api/v1/organizations/${acme.org.id}/onboarding`, { token: acme.token });
    expect(onboarding.body.completedSteps).toEqual(['invite_member']); // not 'profile': nobody activated
  });

  it('with another invitation still pending, the link activates the account and offers that invitation to accept, without accepting it', async () => {
    const first = await orgOf('Keeper');
    const second = await orgOf('Dropper');
    await add(first, 'twice-invited@example.com');
    const dropped = await add(second, 'twice-invited@example.com');
    const token = await activationToken('twice-invited@example.com'); // the newest: the second organization's
    expect((await remove(second, dropped.body.id)).status).toBe(204);

    const preview = await h.call('GET', `/api/v1/auth/activation?token=${token}`);
    expect(preview.body).toMatchObject({ email: 'twice-invited@example.com', organization: null });
    const activated = await h.call('POST', '/api/v1/auth/activation', { body: { token, password: 'a fresh passphrase', name: 'Twice' } });
    // The link was the withdrawn organization's: joining the other one is the person's choice.
    expect(activated.body).toMatchObject({ status: 'org_selection_required', organizations: [{ id: first.org.id, membership: 'invited_member' }] });
    const accepted = await h.call('POST', '/api/v1/auth/discovery/exchange', { body: { intermediateToken: activated.body.intermediateToken, organization: first.org.id } });
    expect(accepted.body).toMatchObject({ status: 'authenticated', organization: { id: first.org.id }, member: { roles: ['member'] } });
  });
});
