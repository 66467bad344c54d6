import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStartScript, startScript } from '../bench/processes.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function withStart(start: string, check: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'gatehouse-start-'));
  try {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ scripts: { start } }));
    check(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('the benchmark starts the server as npm start does', () => {
  it('reads the environment and Node flags of package.json’s start script', () => {
    expect(startScript(ROOT)).toEqual({ env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, nodeFlags: ['--max-semi-space-size=8', '--no-maglev'] });
    expect(describeStartScript(ROOT)).toBe('GLIBC_TUNABLES=glibc.malloc.hugetlb=1 node --max-semi-space-size=8 --no-maglev');
  });

  it('keeps a value that itself contains "=" whole', () => {
    withStart('A=x=1:y=2 B=c node --flag dist/infrastructure/server/main.js', (root) => {
      expect(startScript(root)).toEqual({ env: { A: 'x=1:y=2', B: 'c' }, nodeFlags: ['--flag'] });
    });
  });

  it('refuses a start script that does not run the compiled server', () => {
    withStart('tsx src/infrastructure/server/main.ts', (root) => {
      expect(() => startScript(root)).toThrow(/does not run dist\/infrastructure\/server\/main.js/);
    });
  });
});
