import type { Config } from '../config/config.schema.js';

/** The Stytch settings load-config.ts insists on when IDENTITY_PROVIDER=stytch. */
export type StytchConfig = Config & { IDENTITY_PROVIDER: 'stytch'; STYTCH_PROJECT_ID: string; STYTCH_SECRET: string; STYTCH_WEBHOOK_SECRET: string };

export function stytchConfigured(config: Config): config is StytchConfig {
  return config.IDENTITY_PROVIDER === 'stytch' && Boolean(config.STYTCH_PROJECT_ID && config.STYTCH_SECRET && config.STYTCH_WEBHOOK_SECRET);
}

/** Whether Stytch's webhooks are received (through Svix): the Stytch provider with its project and webhook secret. */
export function stytchWebhooksConfigured(config: Config): config is Config & { IDENTITY_PROVIDER: 'stytch'; STYTCH_PROJECT_ID: string; STYTCH_WEBHOOK_SECRET: string } {
  return config.IDENTITY_PROVIDER === 'stytch' && Boolean(config.STYTCH_PROJECT_ID && config.STYTCH_WEBHOOK_SECRET);
}
