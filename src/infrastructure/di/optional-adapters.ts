import type { Container } from 'inversify';
import type { InvalidationBus } from '../../application/ports/invalidation-bus.port.js';
import type { SharedStoreRateLimiterFactory } from '../../adapters/rate-limit/local-rate-limiter.js';
import type { Config } from '../config/config.schema.js';
import { billingConfigured, type StripeAdapter } from './billing-module.js';
import type { RedisBusAdapter } from './bus-module.js';
import type { SvixAdapter } from './identity-webhook-module.js';
import { smtpConfigured, type SmtpAdapter } from './mail-module.js';
import { sharedRateLimitStore } from './rate-limit-module.js';
import { type StytchConfig, stytchConfigured, stytchWebhooksConfigured } from './stytch-config.js';

/**
 * Adapters over large optional SDKs. Each is imported (dynamically) only when the configuration
 * uses it, so a deployment pays for no SDK it does not use: the default configuration (built-in
 * identity, no Stripe keys, mail to the log and outbox, counters in memory, no REDIS_URL) loads none.
 * buildContainer, which is synchronous, takes them loaded and refuses a configuration whose adapter
 * is missing; createGatehouse loads them ({@link loadOptionalAdapters}).
 */
export interface OptionalAdapters {
  /** Stytch mode's bindings (stytch-module.ts: the `stytch` SDK and undici), when IDENTITY_PROVIDER=stytch. */
  stytch?: { bindStytch(c: Container, config: StytchConfig): void };
  /** Stytch's webhook verifier (`svix`), when Stytch's webhooks are received. */
  svix?: SvixAdapter;
  /** The Stripe billing gateway (`stripe`), when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set. */
  stripe?: StripeAdapter;
  /** The SMTP transport (`nodemailer`), when MAIL_TRANSPORT=smtp. */
  smtp?: SmtpAdapter;
  /** The Redis invalidation bus (`ioredis`), when REDIS_URL is set and no bus is passed in. */
  redisBus?: RedisBusAdapter;
  /** The shared rate-limit store's limiter (`ioredis` for redis), when limits are on and RATE_LIMIT_STORE is not memory. */
  rateLimitStore?: SharedStoreRateLimiterFactory;
}

/** Imports the optional adapters the configuration uses and `given` does not already hold. */
export async function loadOptionalAdapters(config: Config, given: OptionalAdapters & { bus?: InvalidationBus } = {}): Promise<OptionalAdapters> {
  const [stytch, svix, stripe, smtp, redisBus, rateLimitStore] = await Promise.all([
    given.stytch ?? (stytchConfigured(config) ? import('./stytch-module.js') : undefined),
    given.svix ?? (stytchWebhooksConfigured(config) ? import('../../adapters/identity/stytch/svix-webhook-verifier.js') : undefined),
    given.stripe ?? (billingConfigured(config) ? import('../../adapters/billing/stripe/stripe-billing-gateway.js') : undefined),
    given.smtp ?? (smtpConfigured(config) ? import('../../adapters/email/smtp/smtp-mail-transport.js') : undefined),
    given.redisBus ?? (config.REDIS_URL && !given.bus ? import('../../adapters/cache/redis-invalidation-bus.js') : undefined),
    given.rateLimitStore ?? loadRateLimitStore(config),
  ]);
  return {
    ...(stytch ? { stytch } : {}),
    ...(svix ? { svix } : {}),
    ...(stripe ? { stripe } : {}),
    ...(smtp ? { smtp } : {}),
    ...(redisBus ? { redisBus } : {}),
    ...(rateLimitStore ? { rateLimitStore } : {}),
  };
}

async function loadRateLimitStore(config: Config): Promise<SharedStoreRateLimiterFactory | undefined> {
  switch (sharedRateLimitStore(config)) {
    case 'redis':
      return (await import('../../adapters/rate-limit/redis-rate-limiter.js')).createRedisRateLimiter;
    case 'postgres':
      return (await import('../../adapters/rate-limit/postgres-rate-limiter.js')).createPostgresRateLimiter;
    case null:
      return undefined;
  }
}
