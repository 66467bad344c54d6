import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

interface Edge {
  from: string;
  to: string;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every import/export-from specifier of every source file (static and dynamic). */
function edges(): Edge[] {
  const pattern = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  return files(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(pattern)].map((m) => {
      const spec = (m[1] ?? m[2] ?? m[3])!;
      const to = spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)) : `npm:${spec}`;
      return { from: relative(SRC, file), to };
    });
  });
}

const layer = (path: string) => path.split('/')[0];
/** adapters/<name> (persistence/<name> counts as its own adapter). */
const adapterOf = (path: string) => {
  const parts = path.split('/');
  return parts[1] === 'persistence' ? `${parts[1]}/${parts[2]}` : parts[1];
};

describe('layer rules', () => {
  const all = edges();

  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it('keeps src/domain pure: only other domain files, no packages, no node built-ins', () => {
    const bad = all.filter((e) => layer(e.from) === 'domain' && (e.to.startsWith('npm:') || layer(e.to) !== 'domain'));
    expect(bad).toEqual([]);
  });

  it('lets src/application import only the domain, itself and node built-ins', () => {
    const bad = all.filter(
      (e) => layer(e.from) === 'application' && (e.to.startsWith('npm:') ? !e.to.startsWith('npm:node:') : !['domain', 'application'].includes(layer(e.to)!)),
    );
    expect(bad).toEqual([]);
  });

  it('keeps adapters apart from each other and from infrastructure', () => {
    const bad = all.filter(
      (e) => layer(e.from) === 'adapters' && !e.to.startsWith('npm:') && (layer(e.to) === 'infrastructure' || (layer(e.to) === 'adapters' && adapterOf(e.to) !== adapterOf(e.from))),
    );
    expect(bad).toEqual([]);
  });

  it('imports adapters only from the composition root and the process entry points', () => {
    const bad = all.filter((e) => layer(e.to) === 'adapters' && layer(e.from) !== 'adapters' && !/^infrastructure\/(di|server|cli|database)\//.test(e.from));
    expect(bad).toEqual([]);
  });
});
