import type { Dirent } from 'node:fs';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError } from '../scenario/load.js';

const SCENARIO_FILE = /\.ya?ml$/i;

/**
 * Files named on the command line, with directories expanded recursively to their `*.yaml` /
 * `*.yml` files in sorted order. Symbolic links are followed (a linked scenario runs like any
 * other; a link back up the tree is visited once); a broken link named `*.yaml` is kept, so the
 * loader reports it. A missing path, an unreadable directory or an empty one is a ScenarioError.
 */
export function expandScenarioPaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new ScenarioError([{ file: path, line: 0, col: 0, message: 'no such file or directory' }]);
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const found = walk(path, new Set());
    if (found.length === 0)
      throw new ScenarioError([
        { file: path, line: 0, col: 0, message: 'no scenario files (*.yaml, *.yml) in this directory' },
      ]);
    files.push(...found);
  }
  return files;
}

function walk(dir: string, visited: Set<string>): string[] {
  const real = realpathSync(dir);
  if (visited.has(real)) return [];
  visited.add(real);
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? String(error));
    throw new ScenarioError([{ file: dir, line: 0, col: 0, message: `cannot read this directory (${why})` }]);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    const kind = entry.isSymbolicLink() ? linkKind(path) : entry.isDirectory() ? 'dir' : 'file';
    if (kind === 'dir') out.push(...walk(path, visited));
    else if (SCENARIO_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/** What a link points at; a broken link counts as a file (the loader says it is missing). */
function linkKind(path: string): 'dir' | 'file' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'file';
  }
}
