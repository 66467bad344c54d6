import type { Persistence } from '../../src/application/ports/persistence.port.js';
import { type StripeEmulator, startStripeEmulator } from '../fakes/stripe-emulator.js';
import { type ApiResponse, type Harness, startHarness } from './http-harness.js';
import { pglitePersistence } from './test-database.js';

/** Gatehouse on PGlite with billing through the real `stripe` SDK against the emulator (whose clock is the harness's). */
export interface StripeWorld {
  h: Harness;
  stripe: StripeEmulator;
  p: Persistence;
  /** Posts `event` to the webhook route, signed with the world's secret (or `secret`); `body` replaces the signed bytes. */
  deliver(event: unknown, options?: { secret?: string; body?: string }): Promise<ApiResponse>;
  close(): Promise<void>;
}

export async function startStripeWorld(input: { secretKey: string; webhookSecret: string }): Promise<StripeWorld> {
  let h: Harness | undefined;
  const stripe = await startStripeEmulator({ now: () => (h ? h.clock.now().getTime() : Date.now()) });
  const p = (await pglitePersistence()).persistence;
  h = await startHarness({ persistence: p, env: { STRIPE_SECRET_KEY: input.secretKey, STRIPE_WEBHOOK_SECRET: input.webhookSecret, STRIPE_API_URL: stripe.url } });
  const harness = h;
  return {
    h: harness,
    stripe,
    p,
    deliver(event, options = {}) {
      const signed = stripe.signedDelivery(event as Parameters<StripeEmulator['signedDelivery']>[0], options.secret ?? input.webhookSecret);
      return harness.call('POST', '/api/v1/webhooks/stripe', { body: options.body ?? signed.body, headers: { 'stripe-signature': signed.signature } });
    },
    async close() {
      await harness.close();
      await stripe.close();
    },
  };
}
