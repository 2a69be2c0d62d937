import type { Simulation } from '../engine/index.js';
import type { RunLimits } from '../run/limits.js';
import type { RunOptions } from '../run/run-plan.js';
import { runPlan } from '../run/run-plan.js';
import { compilePlan } from '../scenario/compile.js';
import { formatDuration } from '../util/duration.js';
import { parseScenario, ScenarioError } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { planToScenario, scenarioToYaml } from '../scenario/write.js';
import { systemById } from '../systems/registry.js';
import type { PlanStep } from '../systems/system-model.js';
import { shrinkClusterCandidates } from './cluster-candidates.js';
import { ddmin } from './ddmin.js';
import { impliedCrashes, moveStepsEarlier, moveStepsLater, tailIsShort } from './shrink-time.js';
import type { RunResult } from '../run/result.js';

export interface ShrinkOptions {
  /** The invariant to keep violated. @defaultValue the first of `expect[variant]`, else the first violation of a full run */
  readonly invariant?: string;
  /** @defaultValue the scenario's variant */
  readonly variant?: string;
  readonly set?: Readonly<Record<string, string>>;
  /** Runs the scenario at this seed (its faults drawn from it), as `run --seed` does. @defaultValue the scenario's seed */
  readonly seed?: number;
  /** Runs allowed in all (each a simulation). @defaultValue 4000 */
  readonly runsMax?: number;
  /** Wall-clock time (epoch ms) past which no candidate runs: the shrink keeps what it has. */
  readonly deadlineMs?: number;
  /** Polled before each candidate: true once a signal asked the shrink to stop (keeps what it has). */
  readonly shouldStop?: () => boolean;
  /** Per-run limits; a candidate stopped by one does not count as failing. */
  readonly limits?: RunLimits;
  /**
   * Whether a candidate that violates the invariant fails the same way (issue #16: the same
   * signature, its explanation's shape), judged on its whole run. Without it, any violation of
   * the invariant counts and each candidate run stops at it.
   */
  readonly sameFailure?: (result: RunResult) => boolean;
  /** Run options a `sameFailure` judgement needs (trace capture for the causal explanation). */
  readonly sameFailureRun?: Pick<RunOptions, 'captureLimit' | 'explain'>;
}

export interface ShrinkSize {
  readonly steps: number;
  readonly durationMs: number;
  readonly clusterItems: number;
}

export type ShrinkResult =
  | {
      readonly status: 'not-failing';
      readonly variant: string;
      readonly invariant: string | null;
      readonly violated: readonly string[];
    }
  | {
      readonly status: 'shrunk';
      readonly variant: string;
      readonly invariant: string;
      readonly scenario: Scenario;
      readonly yaml: string;
      readonly traceHash: string;
      readonly before: ShrinkSize;
      readonly after: ShrinkSize;
      /** Lines of the header comment: what was removed or changed. */
      readonly changes: readonly string[];
      readonly runs: number;
      /** Every single step was tried alone for removal and none could go. */
      readonly oneMinimal: boolean;
      /** A deadline or a stop request ended the search: the result is smaller, maybe not minimal. */
      readonly cut: boolean;
      readonly wallMs: number;
    };

/** Thrown from the violation hook to end a run the moment the target invariant breaks. */
class TargetViolated extends Error {}

/**
 * Whether a candidate's exception means only "this candidate is not a valid scenario" (a step
 * naming a node the smaller cluster lacks): the loader's and compiler's ScenarioError. Anything
 * else (an AssertionError, a TypeError) is a clustersim bug and is re-thrown, never taken for
 * "does not fail".
 */
function isInvalidCandidate(error: unknown): boolean {
  return error instanceof ScenarioError;
}

/** Nice durations to round to, ascending (ms). */
const ROUND_DURATIONS_MS = [
  1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200,
].map((s) => s * 1000);
/** Step-time grids, coarsest first (ms). */
const SNAP_GRIDS_MS = [60_000, 30_000, 10_000, 5000, 1000, 100, 10];

/**
 * Minimises a failing scenario, keeping the same invariant violated: ddmin over timeline steps,
 * then the cluster, then the duration, then step times snapped to round values, then a last
 * single-step pass so the result is 1-minimal for step removal.
 */
export function shrinkScenario(input: Scenario, options: ShrinkOptions = {}): ShrinkResult {
  const startedMs = Date.now();
  const model = systemById(input.system);
  const variant = options.variant ?? input.variant ?? model.defaultVariant;
  const set = options.set ?? {};
  // Faults (if any) become explicit steps: shrinking works on a fixed, concrete timeline.
  const basePlan = compilePlan(input, {
    variant,
    set,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const base = planToScenario(basePlan, {});
  const limits = options.limits !== undefined ? { limits: options.limits } : {};
  const firstRun = runPlan(compilePlan(base, { variant, set }), limits);
  const violated = firstRun.violations.map((v) => v.invariant);
  const invariant = options.invariant ?? input.expect?.[variant]?.[0] ?? violated[0] ?? null;
  if (invariant === null || !violated.includes(invariant))
    return { status: 'not-failing', variant, invariant, violated };
  const isLiveness = model.invariants.find((i) => i.id === invariant)?.kind === 'liveness';

  const runsMax = options.runsMax ?? 4000;
  let runs = 1;
  let cut = false;
  const fails = (candidate: Scenario): boolean => {
    if (runs >= runsMax) return false;
    if (
      (options.deadlineMs !== undefined && Date.now() >= options.deadlineMs) ||
      options.shouldStop?.() === true
    ) {
      cut = true;
      return false;
    }
    runs++;
    let plan;
    try {
      plan = compilePlan(candidate, { variant, set });
    } catch (error) {
      if (isInvalidCandidate(error)) return false;
      throw error;
    }
    const sameFailure = options.sameFailure;
    if (sameFailure !== undefined) {
      const result = runPlan(plan, { ...limits, ...options.sameFailureRun });
      return result.violations.some((v) => v.invariant === invariant) && sameFailure(result);
    }
    try {
      // A candidate stopped by a limit did not show the violation: it does not fail.
      runPlan(plan, {
        ...limits,
        instrument: (sim: Simulation) => {
          sim.addViolationListener((id) => {
            if (id === invariant) throw new TargetViolated(id);
          });
        },
      });
      return false;
    } catch (error) {
      if (error instanceof TargetViolated) return true;
      throw error;
    }
  };

  let current: Scenario = base;
  const changes: string[] = [];
  const before = sizeOf(current);

  // 1. Timeline steps.
  const stepsResult = ddmin(current.timeline, (steps) => fails({ ...current, timeline: steps }), {
    testsMax: Math.max(0, runsMax - runs),
  });
  current = { ...current, timeline: stepsResult.items };
  if (before.steps > current.timeline.length)
    changes.push(`removed ${before.steps - current.timeline.length} of ${before.steps} timeline steps`);

  // 2. The cluster: the model's candidates, or a structural guess; the loader vets each.
  current = shrinkCluster(current, fails, () => runs < runsMax);
  if (sizeOf(current).clusterItems < before.clusterItems)
    changes.push(
      `cluster reduced from ${before.clusterItems} to ${sizeOf(current).clusterItems} items (list entries and counts)`,
    );

  // 3. Time: steps earlier (the whole timeline, then each step towards the one before), so the
  //    repro does not wait minutes for its fault; then the duration.
  const earlier = moveStepsEarlier(current, fails);
  current = earlier.scenario;
  if (earlier.movedMs > 0)
    changes.push(`steps moved earlier (the last by ${formatDuration(earlier.movedMs)})`);
  // A liveness invariant is judged at the end: a shorter run may break it only for want of time,
  // so its duration is cut only when `sameFailure` tells such a failure from the original one.
  const keepDuration = isLiveness && options.sameFailure === undefined;
  current = shortenRun(current, keepDuration, fails, changes);

  // 4. Step times snapped to round values (never undoing the short tail).
  const snapped = snapTimes(current, fails, (c) => !tailIsShort(current) || tailIsShort(c));
  if (snapped.moved > 0) changes.push(`${snapped.moved} step times rounded`);
  current = snapped.scenario;

  // 5. Cluster and time changes may have made more steps removable: ddmin again (1-minimal).
  const lengthBefore = current.timeline.length;
  const again = ddmin(current.timeline, (steps) => fails({ ...current, timeline: steps }), {
    testsMax: Math.max(0, runsMax - runs),
  });
  current = { ...current, timeline: again.items };
  if (current.timeline.length < lengthBefore) {
    changes.push(`removed ${lengthBefore - current.timeline.length} more steps after the other reductions`);
    current = shortenRun(current, keepDuration, fails, changes);
  }
  changes.push(...impliedCrashes(current.timeline, formatDuration));

  // The result as a file, re-read and run in full as `clustersim run` would: store that hash.
  const full = finalRun(current, input.file ?? input.name, variant, invariant, set, limits);
  const after = sizeOf(full.scenario);
  const header = [
    `Shrunk by clustersim shrink: keeps ${invariant} violated under variant ${variant}.`,
    `From ${plural(before.steps, 'step')}, ${formatDuration(before.durationMs)}, ${plural(before.clusterItems, 'cluster item')} to ${plural(after.steps, 'step')}, ${formatDuration(after.durationMs)}, ${plural(after.clusterItems, 'cluster item')} (${runs} runs).`,
    ...changes.map((c) => `- ${c}`),
    `Replay: clustersim run <this file> (stored traceHash ${full.traceHash}).`,
  ];
  const yaml = scenarioToYaml(full.scenario, header.join('\n'));
  return {
    status: 'shrunk',
    variant,
    invariant,
    scenario: full.scenario,
    yaml,
    traceHash: full.traceHash,
    before,
    after,
    changes,
    runs,
    oneMinimal: again.minimal && runs < runsMax && !cut,
    cut,
    wallMs: Date.now() - startedMs,
  };
}

/** Writes, re-reads and fully runs the scenario; returns it with `expect` and `traceHash` set. */
function finalRun(
  scenario: Scenario,
  source: string,
  variant: string,
  invariant: string,
  set: Readonly<Record<string, string>>,
  limits: RunOptions,
): { scenario: Scenario; traceHash: string } {
  const file = `${scenario.name}.yaml`;
  const reread = parseScenario(scenarioToYaml({ ...scenario, variant }), file);
  const result = runPlan(compilePlan(reread, { variant, set }), limits);
  const violated = result.violations.map((v) => v.invariant);
  if (!violated.includes(invariant)) {
    throw new Error(
      `shrink: the written scenario no longer violates ${invariant} when re-read (violated: ${violated.join(', ') || 'none'}); please report this clustersim bug`,
    );
  }
  const { description: _original, ...rest } = reread;
  void _original;
  // The original description tells a story the shrunk file no longer has.
  const description = `Shrunk by clustersim shrink from ${source}: keeps ${invariant} violated under ${variant}.`;
  const final: Scenario = {
    ...rest,
    description,
    variant,
    expect: { [variant]: violated },
    traceHash: result.traceHash,
  };
  return { scenario: final, traceHash: result.traceHash };
}

function shrinkCluster(
  scenario: Scenario,
  fails: (s: Scenario) => boolean,
  budgetLeft: () => boolean,
): Scenario {
  const model = systemById(scenario.system);
  let current = scenario;
  let improved = true;
  while (improved && budgetLeft()) {
    improved = false;
    const source = current.clusterSource ?? current.cluster;
    const candidates = model.shrinkCluster?.(source) ?? shrinkClusterCandidates(source);
    for (const candidate of candidates) {
      const next = withCluster(current, candidate);
      if (next !== null && fails(next)) {
        current = next;
        improved = true;
        break;
      }
    }
  }
  return current;
}

/** The scenario with another `cluster:` mapping, validated by the loader; null when invalid. */
function withCluster(scenario: Scenario, clusterSource: unknown): Scenario | null {
  try {
    const text = scenarioToYaml({ ...scenario, cluster: clusterSource, clusterSource });
    return parseScenario(text, `${scenario.name}.yaml`);
  } catch (error) {
    if (isInvalidCandidate(error)) return null;
    throw error;
  }
}

/**
 * The duration cut to the shortest run that still fails; then, when the run still lasts more than
 * twice its last step's time (the violation waits for a periodic event), the steps moved later
 * towards it.
 */
function shortenRun(
  scenario: Scenario,
  keepDuration: boolean,
  fails: (s: Scenario) => boolean,
  changes: string[],
): Scenario {
  if (keepDuration) return scenario;
  const durationBefore = scenario.durationMs;
  let current = shrinkDuration(scenario, fails);
  if (current.durationMs < durationBefore)
    changes.push(`duration ${formatDuration(durationBefore)} → ${formatDuration(current.durationMs)}`);
  if (!tailIsShort(current)) {
    const later = moveStepsLater(current, fails);
    current = later.scenario;
    if (later.movedMs > 0)
      changes.push(`steps moved ${formatDuration(later.movedMs)} later, next to the violation they cause`);
  }
  return current;
}

function shrinkDuration(scenario: Scenario, fails: (s: Scenario) => boolean): Scenario {
  const lastStepMs = scenario.timeline.reduce((m, s) => Math.max(m, s.atMs), 0);
  const withDuration = (ms: number): Scenario => ({ ...scenario, durationMs: ms });
  // Binary search on whole seconds for the shortest run that still fails (assumes monotony,
  // then checks the value it picks).
  let lowS = Math.max(1, Math.floor(lastStepMs / 1000));
  let highS = Math.ceil(scenario.durationMs / 1000);
  if (highS * 1000 > scenario.durationMs) highS = Math.floor(scenario.durationMs / 1000);
  if (highS < lowS) return scenario;
  let bestMs = scenario.durationMs;
  while (lowS <= highS) {
    const midS = Math.floor((lowS + highS) / 2);
    if (midS * 1000 < bestMs && fails(withDuration(midS * 1000))) {
      bestMs = midS * 1000;
      highS = midS - 1;
    } else lowS = midS + 1;
  }
  // A round duration a little above the minimum reads better than 2m17s, unless it would make
  // the run last more than twice its last step's time.
  const roundMaxMs = Math.max(bestMs, 2 * lastStepMs);
  for (const round of ROUND_DURATIONS_MS) {
    if (round < bestMs || round >= scenario.durationMs) continue;
    if (round > roundMaxMs) break;
    if (round === bestMs || fails(withDuration(round))) return withDuration(round);
    break;
  }
  return withDuration(bestMs);
}

function snapTimes(
  scenario: Scenario,
  fails: (s: Scenario) => boolean,
  allowed: (s: Scenario) => boolean,
): { scenario: Scenario; moved: number } {
  let current = scenario;
  let moved = 0;
  for (let i = 0; i < current.timeline.length; i++) {
    const step = current.timeline[i] as PlanStep;
    const previousMs = i > 0 ? (current.timeline[i - 1] as PlanStep).atMs : 0;
    const nextMs =
      i + 1 < current.timeline.length ? (current.timeline[i + 1] as PlanStep).atMs : current.durationMs;
    for (const grid of SNAP_GRIDS_MS) {
      const atMs = Math.round(step.atMs / grid) * grid;
      if (atMs === step.atMs) break; // already on this grid, hence on every finer one
      // Keep the order of steps (ties keep file order, which the loader preserves).
      if (atMs < previousMs || atMs > nextMs) continue;
      const timeline = current.timeline.map((s, k) => (k === i ? { ...s, atMs } : s));
      const candidate = { ...current, timeline };
      if (allowed(candidate) && fails(candidate)) {
        current = candidate;
        moved++;
        break;
      }
    }
  }
  return { scenario: current, moved };
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function sizeOf(scenario: Scenario): ShrinkSize {
  return {
    steps: scenario.timeline.length,
    durationMs: scenario.durationMs,
    clusterItems: countItems(scenario.clusterSource ?? scenario.cluster),
  };
}

/** A rough size of a cluster mapping: list items and integer counts, summed. */
export function countItems(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + 1 + countItems(v), 0);
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  if (value !== null && typeof value === 'object')
    return Object.values(value as Record<string, unknown>).reduce((n: number, v) => n + countItems(v), 0);
  return 0;
}
