import { afterAll, describe, expect, it } from 'vitest';
import { HashWorkerPool } from '../../../src/adapters/security/hash-worker-pool.js';
import { OWASP_SCRYPT_PROFILES, parseHash } from '../../../src/adapters/security/scrypt-params.js';
import { ScryptPasswordHasher } from '../../../src/adapters/security/scrypt-password-hasher.js';

describe('ScryptPasswordHasher', () => {
  const pool = new HashWorkerPool({ size: 2, queueMax: 4 });
  afterAll(() => pool.close());
  const fast = new ScryptPasswordHasher(pool, OWASP_SCRYPT_PROFILES.test_only_n10r8p1);

  it('writes a versioned hash with the OWASP default parameters and verifies it', async () => {
    const real = new ScryptPasswordHasher(pool, OWASP_SCRYPT_PROFILES.n15r8p3);
    const hash = await real.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$scrypt\$v=1\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await real.verify('correct horse battery staple', hash)).toEqual({ valid: true, needsRehash: false });
    expect(await real.verify('correct horse battery stapl', hash)).toEqual({ valid: false, needsRehash: false });
  });

  it('salts every hash', async () => {
    expect(await fast.hash('same password here')).not.toBe(await fast.hash('same password here'));
  });

  it('never truncates and normalizes Unicode (NFKC)', async () => {
    const long = 'a'.repeat(200);
    const hash = await fast.hash(long);
    expect((await fast.verify(`${long}b`, hash)).valid).toBe(false);
    const composed = await fast.hash('caf\u00e9 au lait, s\u2019il vous pla\u00eet');
    expect((await fast.verify('cafe\u0301 au lait, s\u2019il vous pla\u00eet', composed)).valid).toBe(true);
  });

  it('flags hashes made with other parameters for rehash after a successful check', async () => {
    const old = await fast.hash('an older password hash');
    const current = new ScryptPasswordHasher(pool, OWASP_SCRYPT_PROFILES.n13r8p10);
    expect(await current.verify('an older password hash', old)).toEqual({ valid: true, needsRehash: true });
    expect(await current.verify('wrong', old)).toEqual({ valid: false, needsRehash: false });
  });

  it('treats unparseable stored hashes as a mismatch', async () => {
    expect(parseHash('$2b$10$abcdefghijklmnopqrstuv')).toBeNull();
    expect(await fast.verify('x', 'plaintext')).toEqual({ valid: false, needsRehash: false });
  });

  it('refuses work beyond the queue bound with SERVICE_OVERLOADED instead of queueing forever', async () => {
    const tiny = new HashWorkerPool({ size: 1, queueMax: 1 });
    const hasher = new ScryptPasswordHasher(tiny, OWASP_SCRYPT_PROFILES.n13r8p10);
    const results = await Promise.allSettled([hasher.hash('a'), hasher.hash('b'), hasher.hash('c'), hasher.hash('d')]);
    await tiny.close();
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code);
    expect(rejected.length).toBeGreaterThan(0);
    expect(new Set(rejected)).toEqual(new Set(['SERVICE_OVERLOADED']));
    const refusal = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refusal.reason.details).toEqual({ retryAfter: 1 });
  });
});
