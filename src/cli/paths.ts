import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError } from '../scenario/load.js';

const SCENARIO_FILE = /\.ya?ml$/i;

/**
 * Files named on the command line, with directories expanded recursively to their `*.yaml` /
 * `*.yml` files in sorted order. A missing path or an empty directory is a ScenarioError.
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
    const found = walk(path);
    if (found.length === 0)
      throw new ScenarioError([
        { file: path, line: 0, col: 0, message: 'no scenario files (*.yaml, *.yml) in this directory' },
      ]);
    files.push(...found);
  }
  return files;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile() && SCENARIO_FILE.test(entry.name)) out.push(path);
  }
  return out;
}
