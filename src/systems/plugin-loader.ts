import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { createJiti } from 'jiti';
import { UsageError } from '../util/errors.js';
import { definitionProblem, isDefinedSystem } from './define.js';
import { pluginFiles, registerPlugin } from './registry.js';
import type { SystemModel } from './system-model.js';

/** A plug-in module or project config that cannot be used: exit 2, naming the file. */
export class PluginError extends UsageError {
  override name = 'PluginError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * The package's own modules, handed to plug-ins as `clustersim` and `clustersim/engine` (see
 * src/index.ts): a plug-in then shares this copy's classes and registry, wherever it lives, and
 * an in-repo example needs no build of the package.
 */
let publicModules: Record<string, unknown> = {};

let jiti: ReturnType<typeof createJiti> | null = null;

export function providePublicModules(modules: Record<string, unknown>): void {
  publicModules = { ...publicModules, ...modules };
  jiti = null;
}

/** Loads TypeScript and ESM without a build step, synchronously (the scenario loader is). */
function loader(): ReturnType<typeof createJiti> {
  if (jiti !== null) return jiti;
  // Required on first use: jiti takes ~0.3 s to import, a cost only a plug-in should pay.
  const jitiModule = createRequire(import.meta.url)('jiti') as { createJiti: typeof createJiti };
  jiti = jitiModule.createJiti(import.meta.url, {
    fsCache: false,
    moduleCache: true,
    interopDefault: false,
    virtualModules: publicModules,
  });
  return jiti;
}

const CONFIG_NAMES = [
  'clustersim.config.ts',
  'clustersim.config.mts',
  'clustersim.config.js',
  'clustersim.config.mjs',
];

/** The project config of `dir` or its nearest parent (as vitest finds its config), or null. */
export function findProjectConfig(dir: string): string | null {
  for (let at = resolve(dir); ; at = dirname(at)) {
    for (const name of CONFIG_NAMES) if (existsSync(join(at, name))) return join(at, name);
    if (dirname(at) === at) return null;
  }
}

/** `clustersim.config.ts`: the plug-in system modules of a project, relative to the file. */
export interface ClustersimConfig {
  readonly systems?: readonly string[];
}

/** Types a project config (`export default defineConfig({ systems: ['./lease.ts'] })`). */
export function defineConfig(config: ClustersimConfig): ClustersimConfig {
  return config;
}

/** Loads the project config found from `dir` and every system it lists; the config's path, or null. */
export function loadProjectConfig(dir: string): string | null {
  const file = findProjectConfig(dir);
  if (file === null) return null;
  const exported = importFile(file) as { default?: unknown };
  const config = exported.default ?? exported;
  const systems = (config as { systems?: unknown }).systems;
  if (typeof config !== 'object' || config === null || (systems !== undefined && !Array.isArray(systems)))
    throw new PluginError(file, "a config exports `default { systems: ['./my-system.ts'] }`");
  for (const entry of (systems ?? []) as unknown[]) {
    if (typeof entry !== 'string')
      throw new PluginError(file, `'systems' lists ${JSON.stringify(entry)}, not a module path`);
    loadSystemModule(resolveModule(entry, dirname(file), file));
  }
  return file;
}

/** A module named by a config or a scenario: a path relative to `fromDir`, or a package name. */
export function resolveModule(specifier: string, fromDir: string, namedIn: string): string {
  if (isAbsolute(specifier)) return specifier;
  if (specifier.startsWith('.')) return resolve(fromDir, specifier);
  const found = loader().esmResolve(specifier, {
    parentURL: pathToFileURL(join(fromDir, 'index.js')),
    try: true,
  });
  if (found === undefined) throw new PluginError(namedIn, `cannot find the system module '${specifier}'`);
  return found.startsWith('file:') ? new URL(found).pathname : found;
}

/** Whether a scenario's `system:` names a module rather than a system id. */
export function namesModule(system: string): boolean {
  return /^(\.{1,2}\/|\/)/.test(system) || /\.(ts|mts|js|mjs|cjs)$/.test(system);
}

/**
 * Loads a plug-in module (an absolute path) and registers every system it exports: its default
 * export, else each export made by defineSystem. Loading the same file twice is a no-op.
 */
export function loadSystemModule(file: string): SystemModel[] {
  const exported = importFile(file) as Record<string, unknown>;
  const candidates = isDefinedSystem(exported) // CommonJS: `module.exports = defineSystem(...)`
    ? [exported]
    : exported.default !== undefined
      ? [exported.default]
      : Object.values(exported).filter((value) => isDefinedSystem(value));
  if (candidates.length === 0)
    throw new PluginError(file, 'exports no system: `export default defineSystem({ ... })` from clustersim');
  return candidates.map((candidate) => {
    const wrong = definitionProblem(candidate);
    if (wrong !== null) throw new PluginError(file, `invalid system: ${wrong}`);
    const model = candidate as SystemModel;
    const taken = registerPlugin(model, file);
    if (taken !== null) throw new PluginError(file, taken);
    return model;
  });
}

/** Loads exactly these plug-in files, in order (a worker thread repeats the main thread's loads). */
export function loadSystemModules(files: readonly string[]): void {
  for (const file of files) if (!pluginFiles().includes(file)) loadSystemModule(file);
}

function importFile(file: string): unknown {
  if (!existsSync(file)) throw new PluginError(file, 'no such file');
  try {
    return loader()(file) as unknown;
  } catch (error) {
    if (error instanceof PluginError) throw error;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new PluginError(file, `failed while loading: ${message}`);
  }
}
