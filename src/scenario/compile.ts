import { assert } from '../engine/index.js';
import { systemById } from '../systems/registry.js';
import type { ConfigValue, PlanStep, SystemModel } from '../systems/system-model.js';
import { configDefault, parseConfigValue } from './config.js';
import { drawFaults } from './faults.js';
import type { ScenarioProblem } from './load.js';
import { ScenarioError } from './load.js';
import { unknownName } from '../util/names.js';
import { GENERIC_ACTIONS } from './schema.js';
import type { RunPlan, Scenario } from './types.js';

export interface CompileOptions {
  /** Overrides the scenario's variant. */
  readonly variant?: string;
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** `--set key=value` overrides, raw strings, validated against the system's config keys. */
  readonly set?: Readonly<Record<string, string>>;
  /**
   * Who gave the overrides, which names them in problems: the command line (`--variant: …`) or a
   * library caller (`<scenario file>: options.variant: …`). @defaultValue 'flags'
   */
  readonly source?: 'flags' | 'options';
}

/** The seed when neither the file nor the caller names one (CONTRACT §3). */
export const DEFAULT_SEED = 1;

const GENERIC: ReadonlySet<string> = new Set(GENERIC_ACTIONS.map((a) => a.name));

/**
 * Scenario → concrete run plan: config defaults + file + `--set`, timeline steps, and `faults`
 * drawn from named seeded streams into concrete steps. Throws ScenarioError on a bad `--set`,
 * `--variant` or `--seed` (problems without a position, named after the flag or, for a library
 * caller, after the option: see `CompileOptions.source`).
 */
export function compilePlan(scenario: Scenario, options: CompileOptions = {}): RunPlan {
  const model = systemById(scenario.system);
  const problems: ScenarioProblem[] = [];
  const variant = options.variant ?? scenario.variant ?? model.defaultVariant;
  const problem = (name: 'variant' | 'seed' | 'set', message: string): ScenarioProblem =>
    options.source === 'options'
      ? { file: scenario.file ?? scenario.name, line: 0, col: 0, message: `options.${name}: ${message}` }
      : flagProblem(`--${name}`, message);
  const variantProblem = model.checkVariant(variant);
  if (variantProblem !== null) problems.push(problem('variant', variantProblem));
  const seed = options.seed ?? scenario.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0)
    problems.push(
      problem('seed', `'${seed}' is not a seed (allowed: an integer from 0 to ${Number.MAX_SAFE_INTEGER})`),
    );
  const config = resolveConfig(
    model,
    variantProblem === null ? variant : model.defaultVariant,
    scenario.config,
    options.set ?? {},
    (message) => problems.push(problem('set', message)),
  );
  if (problems.length > 0) throw new ScenarioError(problems);

  const drawn = drawFaults(scenario.faults, {
    model,
    cluster: scenario.cluster,
    seed,
    durationMs: scenario.durationMs,
  });
  // Drawn config values sit over the file's; `--set` still pins a key.
  for (const [key, value] of Object.entries(drawn.config))
    if (options.set?.[key] === undefined) config[key] = value;
  const faultSteps = drawn.steps.map((step) => normaliseStep(model, step));
  // Stable: file order on ties, and fault steps after file steps at equal times.
  const steps = [...scenario.timeline, ...faultSteps]
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.atMs - b.step.atMs || a.index - b.index)
    .map(({ step }) => step);
  return {
    scenario,
    variant,
    seed,
    durationMs: scenario.durationMs,
    config,
    network: scenario.network,
    // At most one of the two is set (the loader checks): the network's applies to every run.
    messageDelayMs:
      scenario.network.messageDelayMs[1] > 0 ? scenario.network.messageDelayMs : drawn.messageDelayMs,
    steps,
    faultsOff: drawn.faultsOff,
  };
}

function flagProblem(flag: string, message: string): ScenarioProblem {
  return { file: flag, line: 0, col: 0, message };
}

/** Defaults, then the variant's preset, then the file, then `--set` (validated like a file value). */
export function resolveConfig(
  model: SystemModel,
  variant: string,
  fileConfig: Readonly<Record<string, ConfigValue>>,
  set: Readonly<Record<string, string>>,
  report: (message: string) => void,
): Record<string, ConfigValue> {
  const config: Record<string, ConfigValue> = {};
  for (const [key, value] of Object.entries(baseConfig(model, variant))) config[key] = value;
  for (const [key, value] of Object.entries(fileConfig)) config[key] = value;
  for (const [key, text] of Object.entries(set)) {
    const spec = model.config.find((c) => c.key === key);
    if (spec === undefined) {
      report(
        unknownName(
          'key',
          key,
          model.config.map((c) => c.key),
        ),
      );
      continue;
    }
    const result = parseConfigValue(spec, text, true);
    if (result.ok) config[key] = result.value;
    else report(`${key}: ${result.error}`);
  }
  return config;
}

/** What a run of `variant` uses when the file and `--set` say nothing: defaults + preset. */
export function baseConfig(model: SystemModel, variant: string): Record<string, ConfigValue> {
  const config: Record<string, ConfigValue> = {};
  for (const spec of model.config) config[spec.key] = configDefault(spec);
  for (const [key, value] of Object.entries(model.variantConfig?.(variant) ?? {})) config[key] = value;
  return config;
}

/**
 * Passes a model-made system step (e.g. from `dropSteps`) through its action schema, so its
 * args have the same shape (and key order, which the trace hash sees) as the same step loaded
 * from a repro file.
 */
function normaliseStep(model: SystemModel, step: PlanStep): PlanStep {
  if (GENERIC.has(step.action)) return step;
  const spec = model.actions.find((a) => a.name === step.action);
  assert(spec !== undefined, 'a drawn step names a declared action', {
    action: step.action,
    system: model.id,
  });
  const parsed = spec.schema.safeParse(step.args);
  assert(parsed.success, 'a drawn step is valid input to its action schema', {
    action: step.action,
    args: step.args,
  });
  return { ...step, args: parsed.data };
}

/** Parses `--set key=value` strings (repeatable) into a map; throws ScenarioError on a malformed one. */
export function parseSetFlags(values: readonly string[]): Record<string, string> {
  // No prototype: `--set __proto__=1` is a key like any other (then reported unknown), never a
  // change of the map's prototype that would drop the flag silently.
  const set = Object.create(null) as Record<string, string>;
  const problems: ScenarioProblem[] = [];
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) {
      problems.push(flagProblem('--set', `'${value}' is not key=value (e.g. --set workerTimeout=120s)`));
      continue;
    }
    set[value.slice(0, eq).trim()] = value.slice(eq + 1).trim();
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return set;
}
