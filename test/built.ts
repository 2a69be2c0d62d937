import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const ROOT = resolve(import.meta.dirname, '..');

/** Newest modification time of the .ts files under these folders (relative to the root). */
function newestSourceMs(dirs: readonly string[]): number {
  let newest = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of dirs) walk(join(ROOT, dir));
  return newest;
}

/**
 * Builds dist/ when `artifact` (relative to the root) is missing or older than the sources (see
 * global-setup.ts). Returns whether it exists afterwards.
 */
export function ensureBuilt(artifact: string, sourceDirs: readonly string[]): boolean {
  const path = join(ROOT, artifact);
  if (!existsSync(path) || statSync(path).mtimeMs < newestSourceMs(sourceDirs)) {
    try {
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
        { cwd: ROOT, stdio: 'pipe' },
      );
    } catch {
      // Type errors elsewhere in the repo still emit JavaScript; the existence check decides.
    }
    // An incremental build with nothing to emit leaves the artifact's time alone: mark it fresh.
    if (existsSync(path)) utimesSync(path, new Date(), new Date());
  }
  return existsSync(path);
}
