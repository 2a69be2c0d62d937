import { avaModel } from './ava/index.js';
import { mantisModel } from './mantis/index.js';
import type { SystemModel } from './system-model.js';

/** Every system under test, by id. A new system adds one import and one entry here. */
const systems: ReadonlyMap<string, SystemModel<unknown>> = new Map(
  [mantisModel as SystemModel<never>, avaModel as SystemModel<never>].map((m) => [m.id, m as unknown as SystemModel<unknown>]),
);

export function systemIds(): string[] {
  return [...systems.keys()];
}

/** The model for `id`; callers validate ids first (the loader reports unknown systems). */
export function systemById(id: string): SystemModel<unknown> {
  const model = systems.get(id);
  if (model === undefined) throw new Error(`unknown system '${id}' (allowed: ${systemIds().join(', ')})`);
  return model;
}

export function allSystems(): SystemModel<unknown>[] {
  return [...systems.values()];
}
