import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/http-harness.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Timing must not tell whether an account exists. These use a real OWASP scrypt
 * profile, so skipping the hash for unknown emails (a ~200 ms gap) would fail them.
 */
describe('enumeration by timing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { PASSWORD_HASH_PARAMS: 'n13r8p10', RATE_LIMITS_ENABLED: 'false' } });
    await h.call('POST', '/api/v1/auth/register', { body: { email: 'exists@example.com', password: 'correct horse battery staple' } });
    // An invited person (no account yet): the address resend-activation really has work for.
    const admin = await h.call('POST', '/api/v1/auth/login', { body: { email: 'exists@example.com', password: 'correct horse battery staple' } });
    const org = await h.call('POST', '/api/v1/organizations', { token: admin.body.accessToken, body: { name: 'Timing Inc' } });
    expect((await h.call('POST', `/api/v1/organizations/${org.body.id}/members`, { token: admin.body.accessToken, body: { email: 'invited@example.com', role: 'member' } })).status).toBe(201);
  });
  afterAll(() => h.close());

  async function timed(path: string, body: unknown): Promise<number> {
    const t = performance.now();
    await h.call('POST', path, { body });
    return performance.now() - t;
  }

  async function compare(path: string, known: unknown, unknown: unknown, runs: number): Promise<[number, number]> {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < runs; i++) {
      a.push(await timed(path, known));
      b.push(await timed(path, unknown));
    }
    return [median(a), median(b)];
  }

  it('login costs the same for a wrong password and an unknown email', async () => {
    const [known, unknown] = await compare('/api/v1/auth/login', { email: 'exists@example.com', password: 'wrong password!' }, { email: 'absent@example.com', password: 'wrong password!' }, 5);
    expect(Math.min(known, unknown)).toBeGreaterThan(50);
    expect(Math.abs(known - unknown)).toBeLessThan(0.35 * Math.max(known, unknown));
  });

  it('register costs the same for a taken and a new email', async () => {
    let n = 0;
    const [taken, fresh] = await compare('/api/v1/auth/register', { email: 'exists@example.com', password: 'another long password' }, { get email() { return `new-${n++}@example.com`; }, password: 'another long password' }, 5);
    expect(Math.min(taken, fresh)).toBeGreaterThan(50);
    expect(Math.abs(taken - fresh)).toBeLessThan(0.35 * Math.max(taken, fresh));
  });

  it('forgot-password, resend-activation and magic-link take about as long for unknown emails', async () => {
    for (const path of ['/api/v1/auth/password/forgot', '/api/v1/auth/activation/resend', '/api/v1/auth/discovery/magic-link']) {
      const known = { email: path.includes('activation') ? 'invited@example.com' : 'exists@example.com' };
      const [knownMs, unknownMs] = await compare(path, known, { email: 'absent@example.com' }, 9);
      expect(Math.abs(knownMs - unknownMs), path).toBeLessThan(Math.max(10, 0.5 * Math.max(knownMs, unknownMs)));
    }
  });
});
