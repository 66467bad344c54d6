// Guards the domain layer rule for src/domain/access: only relative imports that stay inside
// src/domain, no I/O or ambient time/randomness, no `any`, files within the size guidance.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const accessDir = resolve(here, '../../../src/domain/access');
const domainDir = resolve(accessDir, '..');
const files = readdirSync(accessDir).filter((name) => name.endsWith('.ts'));

describe('src/domain/access boundary', () => {
  it('has source files', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  for (const file of files) {
    const source = readFileSync(join(accessDir, file), 'utf8');
    it(`${file} imports only relative .js files inside src/domain`, () => {
      const specifiers = [...source.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)].map((match) => match[1] ?? match[2] ?? '');
      for (const specifier of specifiers) {
        expect(specifier, specifier).toMatch(/^\.\.?\/.*\.js$/);
        expect(relative(domainDir, resolve(accessDir, specifier)).startsWith('..'), specifier).toBe(false);
      }
    });

    it(`${file} uses no ambient clock, randomness, process or any`, () => {
      expect(source).not.toMatch(/Date\.now|new Date\(|Math\.random|performance\.|process\.|require\(/);
      expect(source).not.toMatch(/:\s*any\b|<any>|as any\b/);
    });

    it(`${file} stays within 200 lines`, () => {
      expect(source.split('\n').length).toBeLessThanOrEqual(200);
    });
  }
});
