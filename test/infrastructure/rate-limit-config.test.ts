import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/infrastructure/config/load-config.js';

describe('rate-limit configuration', () => {
  it('is on, in memory, by default', () => {
    expect(loadConfig({})).toMatchObject({ RATE_LIMITS_ENABLED: true, RATE_LIMIT_STORE: 'memory' });
  });

  it('names the variable when the store cannot work', () => {
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'memcached' })).toThrow(/RATE_LIMIT_STORE/);
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(/RATE_LIMIT_STORE: redis needs REDIS_URL/);
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'postgres', ALLOW_IN_MEMORY_STORE: 'true' })).toThrow(/RATE_LIMIT_STORE: postgres needs a database/);
    expect(loadConfig({ RATE_LIMIT_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' }).RATE_LIMIT_STORE).toBe('redis');
    expect(loadConfig({ RATE_LIMITS_ENABLED: 'false' }).RATE_LIMITS_ENABLED).toBe(false);
  });
});
