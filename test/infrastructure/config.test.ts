import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/infrastructure/config/config.schema.js';
import { ConfigError, loadConfig } from '../../src/infrastructure/config/load-config.js';

describe('configuration', () => {
  it('starts on defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: './data', IDENTITY_PROVIDER: 'builtin', MAIL_TRANSPORT: 'outbox', ACCESS_TOKEN_TTL_SECONDS: 600 });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names the variable and what it expects when a value is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: .*number.*\(got "eighty"\)/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: a postgres:\/\/ URL/);
    expect(() => loadConfig({ IDENTITY_PROVIDER: 'okta' })).toThrow(/IDENTITY_PROVIDER/);
    expect(() => loadConfig({ SIGNING_KEY_ENCRYPTION_KEY: 'short' })).toThrow(/SIGNING_KEY_ENCRYPTION_KEY: a base64url-encoded 32-byte key/);
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT_SECONDS: '100', SESSION_ABSOLUTE_LIFETIME_SECONDS: '50' })).toThrow(/SESSION_IDLE_TIMEOUT_SECONDS/);
    // A Stytch role named twice is a configuration error (exit 78), not a crash after start-up began.
    expect(() => loadConfig({ STYTCH_ROLE_MAP: 'ops=admin, ops=member' })).toThrow(ConfigError);
    expect(() => loadConfig({ STYTCH_ROLE_MAP: 'ops=admin, ops=member' })).toThrow(/STYTCH_ROLE_MAP: each Stytch role at most once/);
    expect(loadConfig({ STYTCH_ROLE_MAP: 'ops=admin, auditor=viewer' }).STYTCH_ROLE_MAP).toBe('ops=admin, auditor=viewer');
  });

  it('refuses weak or volatile settings outside tests', () => {
    expect(() => loadConfig({ PASSWORD_HASH_PARAMS: 'test_only_n10r8p1' })).toThrow(/PASSWORD_HASH_PARAMS/);
    expect(() => loadConfig({ NODE_ENV: 'production', ALLOW_IN_MEMORY_STORE: 'true' })).toThrow(/ALLOW_IN_MEMORY_STORE/);
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_PARAMS: 'test_only_n10r8p1' }).PASSWORD_HASH_PARAMS).toBe('test_only_n10r8p1');
  });

  it('parses lists', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('lists every variable in .env.example and docs/configuration.md', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    for (const name of Object.keys(configSchema.shape)) {
      expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
      expect(docs, name).toContain(`\`${name}\``);
    }
  });
});
