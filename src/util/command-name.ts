import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve, sep } from 'node:path';
import { shellQuote } from './shell-quote.js';

/**
 * How the reader types clustersim, for the hints the CLI prints ("re-run: …"), so each runs as
 * shown: `clustersim` when that name on PATH is this very program (a global install or `npm
 * link`), `npx clustersim` when run by npm (`npm start`, `npx`) or from inside the package without
 * it on PATH, else `node <path to bin/clustersim.js>`. Set once by bin/clustersim.js; in-process
 * callers (tests, the library) keep the plain name.
 */
let current = 'clustersim';

export function commandName(): string {
  return current;
}

export function setCommandName(name: string): void {
  current = name;
}

export interface Invocation {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** process.argv[1]: the script node was started with. */
  readonly entry: string;
  readonly cwd: string;
}

const realOrNull = (path: string): string | null => {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
};

export function detectCommandName(invocation: Invocation): string {
  const { env, entry, cwd } = invocation;
  const self = realOrNull(entry);
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.split(sep).includes('node_modules'))
    .map((dir) => join(dir, 'clustersim'))
    .find((candidate) => existsSync(candidate));
  if (env.npm_lifecycle_event === 'start' || env.npm_command === 'exec') return 'npx clustersim';
  if (onPath !== undefined && self !== null && realOrNull(onPath) === self) return 'clustersim';
  // bin/clustersim.js of a checkout or an install: npx finds the package's own bin inside it.
  const packageRoot = resolve(dirname(self ?? entry), '..');
  const inside = relative(packageRoot, resolve(cwd));
  if (!inside.startsWith('..') && !inside.startsWith(sep)) return 'npx clustersim';
  return `node ${shellQuote(relative(cwd, self ?? entry) || entry)}`;
}
