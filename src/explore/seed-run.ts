import type { Simulation } from '../engine/index.js';
import type { LimitHit, RunLimits } from '../run/limits.js';
import type { RunResult } from '../run/result.js';
import type { RunOptions } from '../run/run-plan.js';
import { runPlan } from '../run/run-plan.js';
import { compilePlan } from '../scenario/compile.js';
import type { RunPlan, Scenario } from '../scenario/types.js';
import { systemById } from '../systems/registry.js';
import type { RunCoverage } from './coverage.js';
import { installCoverage } from './coverage.js';
import { installPct } from './pct.js';
import { signatureOf } from './signature.js';
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
  /** Per-run limits (`--max-events`, …). @defaultValue DEFAULT_LIMITS */
  readonly limits?: RunLimits;
  /** Record each seed's domain coverage (the system's CoverageSpec), when it has one. */
  readonly coverage?: boolean;
}

/** Records a fuzz run keeps for its why; a longer run is run again to explain it (see runPlan). */
const FUZZ_CAPTURE_LIMIT = 200_000;

/** One invariant a seed violated, at its first violation. */
export interface SeedViolation {
  readonly invariant: string;
  readonly atMs: number;
  /** How it broke (see signature.ts): findings are grouped by it. */
  readonly signature?: string;
}

/**
 * One fuzz seed: every counted invariant it violated (first violation first), and whether the
 * run stopped at a limit (no verdict) or hit a clustersim bug (neither a pass nor a finding).
 */
export interface FuzzOutcome {
  readonly seed: number;
  readonly violations: readonly SeedViolation[];
  readonly events: number;
  /** The run stopped at a limit (events, simulated time, pending events): it is not a pass. */
  readonly limit?: LimitHit;
  /** An exception from the engine or a model: a bug in clustersim, not a finding. */
  readonly error?: string;
  /** Coverage points the run reached (CampaignSpec.coverage), sorted. */
  readonly coverage?: readonly string[];
  /** When the run first reached each of its points (ms, at most 64), for coverage search. */
  readonly changesMs?: readonly number[];
}

export function compileSeed(spec: CampaignSpec, seed: number): RunPlan {
  return compilePlan(spec.scenario, {
    seed,
    ...(spec.variant !== undefined ? { variant: spec.variant } : {}),
    ...(spec.set !== undefined ? { set: spec.set } : {}),
  });
}

/** The run options that make a seed's run the same wherever it runs (strategy hooks, limits). */
export function strategyRunOptions(spec: CampaignSpec, extra: RunOptions = {}): RunOptions {
  const withLimits: RunOptions = spec.limits !== undefined ? { limits: spec.limits, ...extra } : extra;
  if (spec.strategy.kind !== 'pct') return withLimits;
  const depth = spec.strategy.depth;
  const messagesExpected = spec.pctMessagesExpected ?? 1000;
  const outer = extra.instrument;
  return {
    ...withLimits,
    instrument: (sim: Simulation, view: unknown) => {
      installPct(sim, { depth, messagesExpected });
      outer?.(sim, view);
    },
  };
}

/** The invariants a campaign counts: `--invariants`, else every one of the model's. */
export function countedInvariants(spec: CampaignSpec): readonly string[] {
  return spec.invariants ?? systemById(spec.scenario.system).invariants.map((i) => i.id);
}

/**
 * Runs one seed and reports every counted invariant it violates: the same set a full run gives
 * (what `compare` counts), stopping early only once all of them are violated.
 */
export function fuzzSeed(spec: CampaignSpec, seed: number, plan?: RunPlan): FuzzOutcome {
  try {
    const counted = countedInvariants(spec);
    const model = systemById(spec.scenario.system);
    let points: (() => RunCoverage) | null = null;
    const coverage = spec.coverage === true ? model.coverage : undefined;
    const result = runPlan(
      plan ?? compileSeed(spec, seed),
      strategyRunOptions(spec, {
        stopOnceViolated: counted,
        keepState: false,
        // Captured as it runs, notes too (a fuzz run is small): the why of a violating seed,
        // which signs its finding, then needs no second run.
        explain: true,
        captureLimit: FUZZ_CAPTURE_LIMIT,
        ...(coverage !== undefined
          ? {
              instrument: (sim: Simulation, view: unknown) => (points = installCoverage(sim, view, coverage)),
            }
          : {}),
      }),
    );
    const signatures = new Map((result.why ?? []).map((e) => [e.invariant, signatureOf(e)]));
    const violations = result.violations
      .filter((v) => counted.includes(v.invariant))
      .map((v) => {
        const signature = signatures.get(v.invariant);
        return { invariant: v.invariant, atMs: v.atMs, ...(signature !== undefined ? { signature } : {}) };
      })
      .sort((a, b) => a.atMs - b.atMs);
    return {
      seed,
      violations,
      events: result.events,
      ...(result.limit !== undefined ? { limit: result.limit } : {}),
      ...(points !== null ? coverageFields((points as () => RunCoverage)()) : {}),
    };
  } catch (error) {
    return { seed, violations: [], events: 0, error: describeError(error) };
  }
}

function coverageFields(run: RunCoverage): Pick<FuzzOutcome, 'coverage' | 'changesMs'> {
  return { coverage: run.points, changesMs: run.changesMs };
}

/** A full run of one seed (no early stop), for repro hashes and compare. */
export function fullRun(spec: CampaignSpec, seed: number): RunResult {
  return runPlan(compileSeed(spec, seed), strategyRunOptions(spec));
}

/** PCT's k: cross-node sends in one unperturbed full run of the campaign's first seed. */
export function pctProbeMessages(spec: CampaignSpec, seed: number): number {
  const result = runPlan(
    compileSeed({ ...spec, strategy: { kind: 'random' } }, seed),
    spec.limits !== undefined ? { limits: spec.limits } : {},
  );
  return Math.max(1, result.metrics.messages.total);
}

export function describeError(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message}${error.stack !== undefined ? `\n${error.stack}` : ''}`;
  return String(error);
}
