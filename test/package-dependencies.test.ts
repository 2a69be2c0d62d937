// package.json's runtime dependencies are exactly what the shipped code imports: an installed
// user gets no package only a test needs (seedrandom once was one), and nothing the CLI or the
// library imports is missing from them. (knip checks dead files, exports and devDependencies.)
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './built.js';

/** Bare module names imported by the .ts/.js files under `dir`, comments left out. */
function importedPackages(dir: string): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|js)$/.test(entry.name)) continue;
    const code = readFileSync(join(entry.parentPath, entry.name), 'utf8').replace(
      /\/\*[\s\S]*?\*\/|\/\/.*$/gm,
      '',
    );
    for (const [, spec = ''] of code.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (!spec.startsWith('node:') && !builtinModules.includes(name)) found.add(name);
    }
  }
  return found;
}

describe('package.json dependencies', () => {
  it('should list exactly the packages src/ and bin/ import', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set([...importedPackages('src'), ...importedPackages('bin')]);
    expect([...imported].sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });
});
