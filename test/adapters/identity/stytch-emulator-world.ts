import { B2BClient, StytchError } from 'stytch';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { StytchEmulator } from '../../fakes/stytch-emulator.js';

/**
 * One emulator and one real SDK client per test file, a clock the tests move, and helpers the
 * emulator test files share. Bindings are live: read them inside tests, after `useStytchEmulator()`.
 */
export let clock = new Date();
export let emulator: StytchEmulator;
export let stytch: B2BClient;

export const advance = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));
export const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));

export function useStytchEmulator(): void {
  beforeAll(async () => {
    emulator = await StytchEmulator.start({ now: () => clock });
    stytch = new B2BClient({ project_id: emulator.projectId, secret: emulator.secret, env: emulator.url });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => {
    clock = new Date();
    emulator.reset();
  });
}

/** The StytchError a call fails with (fails the test if it succeeds or fails otherwise). */
export async function stytchError(call: Promise<unknown>): Promise<StytchError> {
  const error: unknown = await call.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof StytchError)) throw error;
  return error;
}

/** A member session in an organization, through discovery (a magic link is a factor that carries across organizations). */
export async function magicLinkSession(email: string, organizationId: string) {
  await stytch.magicLinks.email.discovery.send({ email_address: email });
  const { intermediate_session_token } = await stytch.magicLinks.discovery.authenticate({ discovery_magic_links_token: emulator.lastMagicLinkToken(email) ?? '' });
  return stytch.discovery.intermediateSessions.exchange({ intermediate_session_token, organization_id: organizationId });
}
