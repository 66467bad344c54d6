import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const seconds = z.coerce.number().int().positive();
const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/**
 * Every environment variable Gatehouse reads, with its default. docs/configuration.md
 * and .env.example list the same variables; a test keeps the three in step.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  IDENTITY_PROVIDER: z.enum(['builtin', 'stytch']).default('builtin'),
  STYTCH_PROJECT_ID: z.string().regex(/^project-(test|live)-[A-Za-z0-9-]+$/, 'a Stytch project id (project-test-… or project-live-…)').optional(),
  STYTCH_SECRET: z.string().min(1).optional(),
  STYTCH_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'a Svix signing secret (whsec_…)').optional(),
  STYTCH_API_URL: z.url().optional(),
  STYTCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  STYTCH_ROLE_MAP: z
    .string()
    .regex(/^\s*[A-Za-z0-9_.:-]+\s*=\s*(admin|manager|member|viewer)\s*(,\s*[A-Za-z0-9_.:-]+\s*=\s*(admin|manager|member|viewer)\s*)*$/, 'comma-separated stytch_role=admin|manager|member|viewer pairs')
    .refine((map) => {
      const roles = map.split(',').map((pair) => pair.split('=')[0]!.trim());
      return new Set(roles).size === roles.length;
    }, 'each Stytch role at most once')
    .default('stytch_admin=admin,stytch_member=member'),
  MAIL_TRANSPORT: z.enum(['outbox', 'smtp']).default('outbox'),
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'an address, optionally with a name: "Gatehouse <no-reply@example.com>"')
    .default('Gatehouse <no-reply@localhost>'),
  MAIL_WORKER_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_SECURE: bool.default(false),
  SMTP_REQUIRE_TLS: bool.default(true),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).default('gatehouse'),
  JWT_ALGORITHM: z.enum(['EdDSA', 'ES256']).default('EdDSA'),
  ACCESS_TOKEN_TTL_SECONDS: seconds.max(3600).default(600),
  SESSION_IDLE_TIMEOUT_SECONDS: seconds.default(7 * 24 * 3600),
  SESSION_ABSOLUTE_LIFETIME_SECONDS: seconds.default(30 * 24 * 3600),
  INTERMEDIATE_TOKEN_TTL_SECONDS: seconds.max(3600).default(600),
  SIGNING_KEY_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url-encoded 32-byte key (43 characters)')
    .optional(),
  TOTP_ISSUER: z.string().trim().min(1).max(64).default('Gatehouse'),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(64).default(12),
  PASSWORD_HASH_PARAMS: z.enum(['n17r8p1', 'n16r8p2', 'n15r8p3', 'n14r8p5', 'n13r8p10', 'test_only_n10r8p1']).default('n15r8p3'),
  PASSWORD_HASH_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  PASSWORD_HASH_QUEUE_MAX: z.coerce.number().int().min(1).max(10_000).default(64),
  PASSWORD_HASH_BUSY_REST: z.coerce.number().min(0).max(10).default(2),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(100 * 1024),
  CORS_ORIGINS: list.default([]),
  TRUSTED_PROXIES: list.default([]),
  COOKIE_SECURE: bool.default(true),
  SHUTDOWN_TIMEOUT_SECONDS: seconds.max(300).default(15),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// URL').optional(),
  RATE_LIMITS_ENABLED: bool.default(true),
  RATE_LIMIT_STORE: z.enum(['memory', 'postgres', 'redis']).default('memory'),
  ALLOW_IN_MEMORY_STORE: bool.default(false),
  SESSION_CLEANUP_INTERVAL_SECONDS: seconds.default(3600),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_API_URL: z.url().optional(),
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  STRIPE_STARTER_PRICE_ID: z.string().min(1).default('price_starter'),
  STRIPE_PROFESSIONAL_PRICE_ID: z.string().min(1).default('price_professional'),
  STRIPE_ENTERPRISE_PRICE_ID: z.string().min(1).default('price_enterprise'),
  BILLING_SUCCESS_URL: z.url().optional(),
  BILLING_CANCEL_URL: z.url().optional(),
});

/** Parsed configuration. */
export type Config = z.infer<typeof configSchema>;
