import { avaModel } from './ava/index.js';
import { mantisModel } from './mantis/index.js';
import type { SystemModel } from './system-model.js';

/** The systems that ship with the package, by id: plug-ins like any other, loaded first. */
const builtIns: ReadonlyMap<string, SystemModel<unknown>> = new Map(
  [mantisModel as SystemModel<never>, avaModel as SystemModel<never>].map((m) => [
    m.id,
    m as unknown as SystemModel<unknown>,
  ]),
);

/** Plug-in systems loaded from files (see plugin-loader.ts), in load order, with their module. */
const plugins = new Map<string, { readonly model: SystemModel<unknown>; readonly file: string }>();

/** Models added by tests (see registerSystemForTests); empty in normal runs. */
const testSystems = new Map<string, SystemModel<unknown>>();

/**
 * @internal Tests only: makes a test-defined model loadable by id (`system: <id>`) until the
 * returned function is called. Never used by the CLI or the library API.
 */
export function registerSystemForTests(model: SystemModel<never>): () => void {
  const entry = model as unknown as SystemModel<unknown>;
  testSystems.set(entry.id, entry);
  return () => {
    if (testSystems.get(entry.id) === entry) testSystems.delete(entry.id);
  };
}

/**
 * Adds a plug-in system loaded from `file` (an absolute path). Returns null, or why it cannot be
 * added (its id is taken by another system).
 */
export function registerPlugin(model: SystemModel<unknown>, file: string): string | null {
  const taken = builtIns.has(model.id) ? 'a built-in system' : plugins.get(model.id)?.file;
  if (taken !== undefined && taken !== file)
    return `system id '${model.id}' is already taken by ${taken === 'a built-in system' ? taken : `the plug-in ${taken}`}`;
  plugins.set(model.id, { model, file });
  return null;
}

/** The files of every loaded plug-in, in load order: a worker thread loads exactly these. */
export function pluginFiles(): string[] {
  return [...new Set([...plugins.values()].map((p) => p.file))];
}

/** The module file of plug-in system `id`, or undefined for a built-in or test system. */
export function pluginFileOf(id: string): string | undefined {
  return plugins.get(id)?.file;
}

/** The ids of the systems that ship with the package. */
export function builtInSystemIds(): string[] {
  return [...builtIns.keys()];
}

/** Whether a worker thread can load `id` (built in, or a plug-in from a file), not a test's model. */
export function isLoadableSystem(id: string): boolean {
  return builtIns.has(id) || plugins.has(id);
}

export function systemIds(): string[] {
  const ids = [...builtIns.keys(), ...plugins.keys()];
  return [...ids, ...[...testSystems.keys()].filter((id) => !ids.includes(id))];
}

/** The model for `id`; callers validate ids first (the loader reports unknown systems). */
export function systemById(id: string): SystemModel<unknown> {
  const model = builtIns.get(id) ?? plugins.get(id)?.model ?? testSystems.get(id);
  if (model === undefined) throw new Error(`unknown system '${id}' (allowed: ${systemIds().join(', ')})`);
  return model;
}

export function allSystems(): SystemModel<unknown>[] {
  return systemIds().map(systemById);
}
