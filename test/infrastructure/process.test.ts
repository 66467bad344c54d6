import { describe, expect, it } from 'vitest';
import { freePort } from '../bench/processes.js';
import { runServerProcess, waitForOk } from '../support/server-process.js';

describe('the server process', () => {
  it('refuses to start on a bad variable, naming it', async () => {
    const p = runServerProcess({ PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    expect(await p.exited).toBe(78);
    expect(p.output()).toMatch(/PORT: .*number/);
    expect(p.output()).toMatch(/DATABASE_URL: a postgres:\/\/ URL/);
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const port = await freePort();
    const p = runServerProcess({ PORT: String(port), HOST: '127.0.0.1', ALLOW_IN_MEMORY_STORE: 'true', PASSWORD_HASH_PARAMS: 'n17r8p1' });
    await waitForOk(`http://127.0.0.1:${port}/health`);
    // A registration hashes a password with N=2^17 (hundreds of ms): it is in flight when the signal lands.
    const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'late@example.com', password: 'correct horse battery staple' }),
    });
    await new Promise((r) => setTimeout(r, 60));
    p.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(202);
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('shutting down');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });
});
