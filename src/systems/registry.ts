import { avaModel } from './ava/index.js';
import { mantisModel } from './mantis/index.js';
import type { SystemModel } from './system-model.js';

/** Every system under test, by id. A new system adds one import and one entry here. */
const systems: ReadonlyMap<string, SystemModel<unknown>> = new Map(
  [mantisModel as SystemModel<never>, avaModel as SystemModel<never>].map((m) => [
    m.id,
    m as unknown as SystemModel<unknown>,
  ]),
);

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

/** Whether `id` is a shipped model (a worker thread can load it), not one a test registered. */
export function isShippedSystem(id: string): boolean {
  return systems.has(id);
}

export function systemIds(): string[] {
  return [...systems.keys(), ...[...testSystems.keys()].filter((id) => !systems.has(id))];
}

/** The model for `id`; callers validate ids first (the loader reports unknown systems). */
export function systemById(id: string): SystemModel<unknown> {
  const model = systems.get(id) ?? testSystems.get(id);
  if (model === undefined) throw new Error(`unknown system '${id}' (allowed: ${systemIds().join(', ')})`);
  return model;
}

export function allSystems(): SystemModel<unknown>[] {
  return systemIds().map(systemById);
}
