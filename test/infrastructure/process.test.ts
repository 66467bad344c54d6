import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '../bench/processes.js';

const MAIN = new URL('../../src/infrastructure/server/main.ts', import.meta.url).pathname;

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered`);
}

describe('the server process', () => {
  it('refuses to start on a bad variable, naming it', async () => {
    const p = run({ PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    expect(await p.exited).toBe(78);
    expect(p.output()).toMatch(/PORT: .*number/);
    expect(p.output()).toMatch(/DATABASE_URL: a postgres:\/\/ URL/);
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const port = await freePort();
    const p = run({ PORT: String(port), HOST: '127.0.0.1', ALLOW_IN_MEMORY_STORE: 'true', PASSWORD_HASH_PARAMS: 'n17r8p1' });
    await waitFor(`http://127.0.0.1:${port}/health`);
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
