import { type Config, configSchema } from './config.schema.js';

/** Raised when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment once at start-up. A wrong or missing value stops
 * start-up with a message naming the variable and what it expects.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(Object.entries(env).filter(([key, value]) => key in configSchema.shape && value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      return `  ${name}: ${issue.message}${name in relevant ? ` (got "${String(relevant[name]).slice(0, 40)}")` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.SESSION_IDLE_TIMEOUT_SECONDS > config.SESSION_ABSOLUTE_LIFETIME_SECONDS) {
    throw new ConfigError('Invalid configuration:\n  SESSION_IDLE_TIMEOUT_SECONDS: must not exceed SESSION_ABSOLUTE_LIFETIME_SECONDS');
  }
  if (config.NODE_ENV === 'production' && config.ALLOW_IN_MEMORY_STORE) {
    throw new ConfigError('Invalid configuration:\n  ALLOW_IN_MEMORY_STORE: the in-memory store loses every write on restart and is refused in production');
  }
  if (config.RATE_LIMIT_STORE === 'redis' && !config.REDIS_URL) {
    throw new ConfigError('Invalid configuration:\n  RATE_LIMIT_STORE: redis needs REDIS_URL');
  }
  if (config.RATE_LIMIT_STORE === 'postgres' && config.ALLOW_IN_MEMORY_STORE) {
    throw new ConfigError('Invalid configuration:\n  RATE_LIMIT_STORE: postgres needs a database, and ALLOW_IN_MEMORY_STORE=true runs without one');
  }
  if (config.MAIL_TRANSPORT === 'smtp' && !config.SMTP_HOST) {
    throw new ConfigError('Invalid configuration:\n  SMTP_HOST: required when MAIL_TRANSPORT=smtp (the SMTP server to deliver through)');
  }
  if ((config.SMTP_USER === undefined) !== (config.SMTP_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration:\n  SMTP_USER, SMTP_PASSWORD: set both (to authenticate) or neither');
  }
  if (config.NODE_ENV === 'production' && config.MAIL_TRANSPORT === 'smtp' && /@localhost>?$/.test(config.MAIL_FROM)) {
    throw new ConfigError('Invalid configuration:\n  MAIL_FROM: set the sender address for production; mail servers refuse the default no-reply@localhost');
  }
  if (config.NODE_ENV !== 'test' && config.PASSWORD_HASH_PARAMS === 'test_only_n10r8p1') {
    throw new ConfigError('Invalid configuration:\n  PASSWORD_HASH_PARAMS: test_only_n10r8p1 is too weak outside NODE_ENV=test; use one of the OWASP rows (default n15r8p3)');
  }
  if (config.IDENTITY_PROVIDER === 'stytch') {
    const missing = (['STYTCH_PROJECT_ID', 'STYTCH_SECRET', 'STYTCH_WEBHOOK_SECRET'] as const).filter((name) => config[name] === undefined);
    if (missing.length > 0) throw new ConfigError(`Invalid configuration:\n  ${missing.join(', ')}: required when IDENTITY_PROVIDER=stytch`);
  }
  return config;
}

/** The issuer claim: JWT_ISSUER, or the public URL. */
export function issuerOf(config: Config): string {
  return config.JWT_ISSUER ?? config.PUBLIC_URL.replace(/\/$/, '');
}
