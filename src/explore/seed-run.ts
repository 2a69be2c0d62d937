import type { Simulation } from '../engine/index.js';
import type { RunResult } from '../run/result.js';
import type { RunOptions } from '../run/run-plan.js';
import { runPlan } from '../run/run-plan.js';
import { compilePlan } from '../scenario/compile.js';
import type { RunPlan, Scenario } from '../scenario/types.js';
import { installPct } from './pct.js';
import type { Strategy } from './strategy.js';

/** What every seed of a campaign shares: the scenario, the variant, `--set`, the strategy. */
export interface CampaignSpec {
  readonly scenario: Scenario;
  readonly variant?: string;
  readonly set?: Readonly<Record<string, string>>;
  readonly strategy: Strategy;
  /** Only these invariants make findings (`fuzz --invariants`); all of the model's when absent. */
  readonly invariants?: readonly string[];
  /** PCT: cross-node sends in a typical run (measured once per campaign, see pctProbeMessages). */
  readonly pctMessagesExpected?: number;
}

/** One fuzz seed: the first violation (stop-on-first) or none, or a clustersim bug. */
export interface FuzzOutcome {
  readonly seed: number;
  readonly invariant: string | null;
  readonly atMs: number | null;
  readonly events: number;
  /** An exception from the engine or a model: a bug in clustersim, not a finding. */
  readonly error?: string;
}

export function compileSeed(spec: CampaignSpec, seed: number): RunPlan {
  return compilePlan(spec.scenario, {
    seed,
    ...(spec.variant !== undefined ? { variant: spec.variant } : {}),
    ...(spec.set !== undefined ? { set: spec.set } : {}),
  });
}

/** The run options that make a seed's run the same wherever it runs (strategy hooks included). */
export function strategyRunOptions(spec: CampaignSpec, extra: RunOptions = {}): RunOptions {
  if (spec.strategy.kind !== 'pct') return extra;
  const depth = spec.strategy.depth;
  const messagesExpected = spec.pctMessagesExpected ?? 1000;
  const outer = extra.instrument;
  return {
    ...extra,
    instrument: (sim: Simulation) => {
      installPct(sim, { depth, messagesExpected });
      outer?.(sim);
    },
  };
}

/** Runs one seed as fast as possible: stop at the first violation. */
export function fuzzSeed(spec: CampaignSpec, seed: number): FuzzOutcome {
  try {
    const focus = spec.invariants;
    const options = strategyRunOptions(spec, {
      stopOnFirstViolation: true,
      keepNotes: false,
      ...(focus !== undefined ? { stopOnInvariants: focus } : {}),
    });
    const result = runPlan(compileSeed(spec, seed), options);
    const first =
      focus === undefined ? result.violations[0] : result.violations.find((v) => focus.includes(v.invariant));
    return { seed, invariant: first?.invariant ?? null, atMs: first?.atMs ?? null, events: result.events };
  } catch (error) {
    return { seed, invariant: null, atMs: null, events: 0, error: describeError(error) };
  }
}

/** A full run of one seed (no stop-on-first), for repro hashes and compare. */
export function fullRun(spec: CampaignSpec, seed: number): RunResult {
  return runPlan(compileSeed(spec, seed), strategyRunOptions(spec));
}

/** PCT's k: cross-node sends in one unperturbed full run of the campaign's first seed. */
export function pctProbeMessages(spec: CampaignSpec, seed: number): number {
  const result = runPlan(compileSeed({ ...spec, strategy: { kind: 'random' } }, seed));
  return Math.max(1, result.metrics.messages.total);
}

export function describeError(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message}${error.stack !== undefined ? `\n${error.stack}` : ''}`;
  return String(error);
}
