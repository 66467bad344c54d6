import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

/**
 * Preloaded (`--import`) into a child process to see which npm packages it loads: every module
 * resolution — ESM `import`, dynamic `import()` and CommonJS `require` alike — passes through this
 * synchronous hook. At exit the process writes the sorted package names to the file named by
 * RECORD_LOADED_PACKAGES_TO. Used by test/architecture/optional-sdks.test.ts.
 */
const out = process.env['RECORD_LOADED_PACKAGES_TO'];
if (!out) throw new Error('RECORD_LOADED_PACKAGES_TO: the file to write the loaded packages to');

const packages = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    const name = packageOf(resolved.url);
    if (name) packages.add(name);
    return resolved;
  },
});
process.on('exit', () => writeFileSync(out, JSON.stringify([...packages].sort())));

/** `…/node_modules/@scope/name/…` → `@scope/name` (the innermost node_modules: nested copies count too). */
function packageOf(url: string): string | null {
  const path = decodeURIComponent(url);
  const at = path.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const [first, second] = path.slice(at + '/node_modules/'.length).split('/');
  if (!first) return null;
  return first.startsWith('@') && second ? `${first}/${second}` : first;
}
