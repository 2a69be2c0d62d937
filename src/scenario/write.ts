import type { Node } from 'yaml';
import { Document, isMap, isSeq, visit } from 'yaml';
import { systemById } from '../systems/registry.js';
import type { ConfigValue, PlanStep, SystemModel } from '../systems/system-model.js';
import { isCheckStep } from './check-step.js';
import { baseConfig } from './compile.js';
import { configValueForFile } from './config.js';
import { formatDuration } from '../util/duration.js';
import type { FaultsSpec, RunPlan, Scenario } from './types.js';
import { defaultNetworkSpec } from './types.js';

export interface PlanToScenarioOptions {
  /** `expect:` of the written scenario (a repro: `{ <variant>: [<invariant>] }`). */
  readonly expect?: Readonly<Record<string, readonly string[]>>;
  /** The hash the plan ran to; `clustersim run` warns when a replay differs. */
  readonly traceHash?: string;
  readonly description?: string;
  /** Name of the written scenario. @defaultValue the plan's scenario name */
  readonly name?: string;
}

/**
 * A plan as a self-contained scenario: seed and variant fixed, drawn faults written out as
 * explicit timeline steps, `faults` removed (a drawn `messageDelay`, which is not a step, becomes
 * `network.messageDelay`), config = the plan's values that differ from the variant's defaults. Loading `scenarioToYaml` of it and running
 * gives the plan's traceHash again.
 */
export function planToScenario(plan: RunPlan, options: PlanToScenarioOptions = {}): Scenario {
  const model = systemById(plan.scenario.system);
  const config: Record<string, ConfigValue> = {};
  const base = baseConfig(model, plan.variant);
  for (const spec of model.config) {
    const value = plan.config[spec.key];
    if (value !== undefined && value !== base[spec.key]) config[spec.key] = value;
  }
  const description = options.description ?? plan.scenario.description;
  return {
    name: options.name ?? plan.scenario.name,
    ...(description !== undefined ? { description } : {}),
    system: plan.scenario.system,
    ...(plan.scenario.systemModule !== undefined ? { systemModule: plan.scenario.systemModule } : {}),
    variant: plan.variant,
    seed: plan.seed,
    durationMs: plan.durationMs,
    config,
    network: { ...plan.network, messageDelayMs: plan.messageDelayMs },
    cluster: plan.scenario.cluster,
    ...(plan.scenario.clusterSource !== undefined ? { clusterSource: plan.scenario.clusterSource } : {}),
    timeline: plan.steps.map(({ atMs, action, args }) => ({ atMs, action, args })),
    ...(options.expect !== undefined ? { expect: options.expect } : {}),
    ...(options.traceHash !== undefined ? { traceHash: options.traceHash } : {}),
  };
}

/**
 * A readable scenario file (durations as `90s`, `1m30s`), loadable by `loadScenario`.
 * `headerComment` lines are written as `#` comments at the top (say where the file came from).
 */
export function scenarioToYaml(scenario: Scenario, headerComment?: string): string {
  const model = systemById(scenario.system);
  const data: Record<string, unknown> = { name: scenario.name };
  if (scenario.description !== undefined) data.description = scenario.description;
  data.system = scenario.systemModule ?? scenario.system;
  if (scenario.variant !== undefined) data.variant = scenario.variant;
  if (scenario.seed !== undefined) data.seed = scenario.seed;
  data.duration = formatDuration(scenario.durationMs);
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(scenario.config)) {
    const spec = model.config.find((c) => c.key === key);
    config[key] = spec !== undefined ? configValueForFile(spec, value) : value;
  }
  if (Object.keys(config).length > 0) data.config = config;
  const network = networkForFile(scenario);
  if (network !== null) data.network = network;
  data.cluster = scenario.clusterSource ?? scenario.cluster;
  if (scenario.timeline.length > 0) data.timeline = scenario.timeline.map(stepForFile);
  if (scenario.faults !== undefined) data.faults = faultsForFile(model, scenario.faults);
  if (scenario.expect !== undefined) data.expect = scenario.expect;
  if (scenario.traceHash !== undefined) data.traceHash = scenario.traceHash;

  const doc = new Document(data);
  flowSmallCollections(doc);
  if (headerComment !== undefined && headerComment !== '')
    doc.commentBefore = headerComment
      .split('\n')
      .map((line) => ` ${line}`)
      .join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

function networkForFile(scenario: Scenario): Record<string, unknown> | null {
  const n = scenario.network;
  const d = defaultNetworkSpec;
  const out: Record<string, unknown> = {};
  if (n.latencyMs[0] !== d.latencyMs[0] || n.latencyMs[1] !== d.latencyMs[1])
    out.latency = n.latencyMs.map(formatDuration);
  if (n.drop !== d.drop) out.drop = n.drop;
  if (n.duplicate !== d.duplicate) out.duplicate = n.duplicate;
  if (n.messageDelayMs[0] !== 0 || n.messageDelayMs[1] !== 0)
    out.messageDelay = n.messageDelayMs.map(formatDuration);
  return Object.keys(out).length > 0 ? out : null;
}

function stepForFile(step: PlanStep): Record<string, unknown> {
  const at = formatDuration(step.atMs);
  if (step.action === 'pause') {
    const { node, forMs } = step.args as { node: string; forMs: number };
    return { at, pause: { node, for: formatDuration(forMs) } };
  }
  if (isCheckStep(step)) return { at, check: step.args.source };
  // Other generic args are written as they are; system args are their schema's output, which
  // models keep valid as input (see src/systems/system-model.ts ActionSpec, and CONTRACT §3).
  return { at, [step.action]: step.args };
}

function faultsForFile(model: SystemModel, faults: FaultsSpec): Record<string, unknown> {
  const range = (r: readonly [number, number]): string[] => r.map(formatDuration);
  const out: Record<string, unknown> = {};
  if (faults.crash)
    out.crash = {
      every: formatDuration(faults.crash.everyMs),
      ...(faults.crash.restartAfterMs ? { restartAfter: range(faults.crash.restartAfterMs) } : {}),
    };
  if (faults.drop)
    out.drop = {
      every: formatDuration(faults.drop.everyMs),
      ...(faults.drop.reconnectAfterMs ? { reconnectAfter: range(faults.drop.reconnectAfterMs) } : {}),
    };
  if (faults.partition)
    out.partition = { every: formatDuration(faults.partition.everyMs), for: range(faults.partition.forMs) };
  if (faults.pause)
    out.pause = { every: formatDuration(faults.pause.everyMs), for: range(faults.pause.forMs) };
  if (faults.messageDelayMs) out.messageDelay = range(faults.messageDelayMs);
  for (const [name, rate] of Object.entries(faults.system ?? {}))
    out[name] = {
      every: formatDuration(rate.everyMs),
      ...(rate.forMs ? { for: range(rate.forMs) } : {}),
      ...(rate.byMs ? { by: range(rate.byMs) } : {}),
    };
  if (faults.config !== undefined) out.config = faultsConfigForFile(model, faults.config);
  if (faults.swarm !== undefined) out.swarm = faults.swarm;
  if (faults.quietMs !== undefined) out.quiet = formatDuration(faults.quietMs);
  return out;
}

function faultsConfigForFile(
  model: SystemModel,
  ranges: Readonly<Record<string, readonly [number, number]>>,
): Record<string, ConfigValue[]> {
  const out: Record<string, ConfigValue[]> = {};
  for (const [key, range] of Object.entries(ranges)) {
    const spec = model.config.find((c) => c.key === key);
    out[key] = range.map((v) => (spec !== undefined ? configValueForFile(spec, v) : v));
  }
  return out;
}

/** `[1ms, 10ms]` and `pause: { node: TE-1, for: 30s }` on one line: short collections of scalars. */
function flowSmallCollections(doc: Document): void {
  visit(doc, {
    Seq(_, node) {
      if (isSimple(node) && node.items.length <= 8) node.flow = true;
    },
  });
  const timeline = doc.get('timeline', true);
  if (!isSeq(timeline)) return;
  for (const step of timeline.items) {
    if (!isMap(step)) continue;
    for (const pair of step.items) if (isMap(pair.value) && isSimple(pair.value)) pair.value.flow = true;
  }
}

function isSimple(node: Node): boolean {
  if (isMap(node)) return node.items.every((pair) => !isMap(pair.value) && !isSeq(pair.value));
  if (isSeq(node)) return node.items.every((item) => !isMap(item) && !isSeq(item));
  return false;
}
