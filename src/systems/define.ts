import type { ModelSimulation } from '../engine/model-api.js';
import type { ActionSpec, ConfigKeySpec, SystemInstance, SystemModel, SystemSetup } from './system-model.js';

/**
 * What a plug-in module passes to `defineSystem`: a SystemModel whose `build` sees the narrow
 * ModelSimulation, with `actions`, `config` and `checkVariant` optional.
 */
export interface SystemDefinition<Cluster = unknown, View = unknown> extends Omit<
  SystemModel<Cluster, View>,
  'checkVariant' | 'actions' | 'config' | 'build'
> {
  /** System-specific timeline actions. @defaultValue none */
  readonly actions?: readonly ActionSpec[];
  /** Every `config` key with its default. @defaultValue none */
  readonly config?: readonly ConfigKeySpec[];
  /** null when valid, else what is wrong. @defaultValue one of `variants` exactly */
  checkVariant?(variant: string): string | null;
  build(sim: ModelSimulation, setup: SystemSetup<Cluster>): SystemInstance<View>;
}

/** Marks what defineSystem returned, across copies of the package (a registry-wide symbol). */
export const SYSTEM_BRAND: unique symbol = Symbol.for('clustersim.system') as never;

/** An error in a system definition: what is wrong, in words. */
export class SystemDefinitionError extends Error {
  override name = 'SystemDefinitionError';
}

const ID = /^[a-z][a-z0-9-]*$/;

/**
 * Checks a system definition and returns it as the SystemModel every command runs. Throws
 * SystemDefinitionError naming the first thing wrong (a plug-in file then fails with exit 2).
 */
export function defineSystem<Cluster, View>(
  definition: SystemDefinition<Cluster, View>,
): SystemModel<Cluster, View> {
  const wrong = definitionProblem(definition);
  if (wrong !== null) throw new SystemDefinitionError(wrong);
  const variantIds = definition.variants.map((v) => v.id);
  const model: SystemModel<Cluster, View> = {
    ...definition,
    actions: definition.actions ?? [],
    config: definition.config ?? [],
    checkVariant:
      definition.checkVariant?.bind(definition) ??
      ((variant) =>
        variantIds.includes(variant)
          ? null
          : `unknown variant '${variant}' (allowed: ${variantIds.join(', ')})`),
    build: (sim, setup) => definition.build(sim, setup),
  };
  Object.defineProperty(model, SYSTEM_BRAND, { value: true });
  return Object.freeze(model);
}

/** Whether `value` came from defineSystem (in this or another copy of the package). */
export function isDefinedSystem(value: unknown): value is SystemModel {
  return typeof value === 'object' && value !== null && SYSTEM_BRAND in value;
}

/** The first thing wrong with a definition (also one not written in TypeScript), or null. */
export function definitionProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null)
    return `a system definition is an object, got ${typeName(value)}`;
  const d = value as Record<string, unknown>;
  if (typeof d.id !== 'string' || !ID.test(d.id))
    return `'id' must be a lower-case name (a-z, 0-9, -), got ${JSON.stringify(d.id) ?? 'nothing'}`;
  for (const key of ['meaning', 'controlPlaneNode', 'defaultVariant'])
    if (typeof d[key] !== 'string' || d[key] === '') return `'${key}' must be a non-empty string`;
  for (const key of ['nodes', 'faultTargets', 'build'])
    if (typeof d[key] !== 'function') return `'${key}' must be a function`;
  for (const key of [
    'checkVariant',
    'checkAction',
    'crossCheck',
    'dropSteps',
    'shrinkCluster',
    'variantConfig',
  ])
    if (d[key] !== undefined && typeof d[key] !== 'function') return `'${key}' must be a function when given`;
  const schema = d.clusterSchema as { safeParse?: unknown } | undefined;
  if (typeof schema !== 'object' || schema === null || typeof schema.safeParse !== 'function')
    return "'clusterSchema' must be a zod schema (z.strictObject({...}))";
  const listProblem =
    named(d.variants, 'variants', false) ??
    named(d.invariants, 'invariants', false) ??
    named(d.actions ?? [], 'actions', true) ??
    named(d.config ?? [], 'config', true, 'key') ??
    named(d.checks ?? [], 'checks', true, 'name');
  if (listProblem !== null) return listProblem;
  const variants = (d.variants as { id: unknown }[]).map((v) => v.id);
  if (!variants.includes(d.defaultVariant))
    return `'defaultVariant' '${String(d.defaultVariant)}' is not one of 'variants' (${variants.join(', ')})`;
  for (const invariant of d.invariants as Record<string, unknown>[]) {
    const judge = invariant.kind === 'safety' ? 'check' : invariant.kind === 'liveness' ? 'judge' : null;
    if (judge === null) return `invariant '${String(invariant.id)}': 'kind' must be 'safety' or 'liveness'`;
    if (typeof invariant[judge] !== 'function')
      return `invariant '${String(invariant.id)}': a ${String(invariant.kind)} invariant needs a '${judge}' function`;
  }
  for (const action of (d.actions ?? []) as Record<string, unknown>[]) {
    const s = action.schema as { safeParse?: unknown } | undefined;
    if (typeof s !== 'object' || s === null || typeof s.safeParse !== 'function')
      return `action '${String(action.name)}': 'schema' must be a zod schema`;
  }
  return null;
}

/** A list of objects with a unique lower-case `key` (id, name) and a `meaning`. */
function named(
  list: unknown,
  what: string,
  mayBeEmpty: boolean,
  key = what === 'actions' ? 'name' : 'id',
): string | null {
  if (!Array.isArray(list)) return `'${what}' must be a list`;
  if (!mayBeEmpty && list.length === 0) return `'${what}' must list at least one`;
  const seen = new Set<string>();
  for (const [i, item] of list.entries()) {
    const entry = item as Record<string, unknown> | null;
    const name = entry?.[key];
    if (typeof name !== 'string' || name === '') return `'${what}[${i}]' needs a '${key}'`;
    if (seen.has(name)) return `'${what}' lists '${name}' twice`;
    seen.add(name);
    if (typeof entry?.meaning !== 'string') return `'${what}' entry '${name}' needs a 'meaning'`;
  }
  return null;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
}
