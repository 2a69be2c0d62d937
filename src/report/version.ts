import { readFileSync } from 'node:fs';

let cached: string | null = null;

/** clustersim's version, from its package.json (dist/src/report/ in the package, src/report/ in tests). */
export function packageVersion(): string {
  if (cached !== null) return cached;
  cached = '0.0.0';
  for (const relative of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'clustersim' && pkg.version !== undefined) {
        cached = pkg.version;
        break;
      }
    } catch {
      // try the next location
    }
  }
  return cached;
}
