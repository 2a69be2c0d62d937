import type { Violation } from '../engine/index.js';
import type { RunOutcome, RunResult } from '../run/result.js';
import { runOutcome } from '../run/result.js';

/**
 * One violated invariant as `run --json` prints it (CONTRACT §4, plus detail fields): the same
 * object `simulate` returns in `violations` (CONTRACT §9), its episodes included (at most 200).
 */
export type ViolationJson = Readonly<Violation>;

/** The `run --json` object (CONTRACT §4). */
export interface RunJson {
  readonly scenario: string;
  readonly system: string;
  readonly variant: string;
  readonly seed: number;
  readonly simulatedMs: number;
  readonly events: number;
  readonly traceHash: string;
  readonly violations: readonly ViolationJson[];
  readonly metrics: RunResult['metrics'];
  readonly faultsOff: readonly string[];
  readonly stoppedEarly?: string;
  /** The run reached a limit and has no verdict (exit 3). */
  readonly limit?: RunResult['limit'];
  /** `ok`, `violation` (a finding: exit 1), `check-failed` (a `check` step did not hold: exit 1) or `limited` (stopped at a limit with nothing found: exit 3). */
  readonly outcome: RunOutcome;
  /** Each violation's causal chain, pruned (issue #16); absent when nothing was violated. */
  readonly why?: RunResult['why'];
  /** Each judged `check` step: where, when, whether it held, both sides in words. */
  readonly checks: readonly CheckJson[];
  /** The system's view at the end of the run, and at each judged check. */
  readonly state: {
    readonly end: Readonly<Record<string, unknown>>;
    readonly checks: readonly Readonly<Record<string, unknown>>[];
  };
}

export interface CheckJson {
  readonly check: string;
  readonly at: string;
  readonly atMs: number;
  readonly holds: boolean;
  readonly expected: string;
  readonly actual: string;
}

export function runResultToJson(result: RunResult): RunJson {
  return {
    scenario: result.scenario,
    system: result.system,
    variant: result.variant,
    seed: result.seed,
    simulatedMs: result.simulatedMs,
    events: result.events,
    traceHash: result.traceHash,
    violations: result.violations.map((v) => ({
      invariant: v.invariant,
      kind: v.kind,
      atMs: v.atMs,
      count: v.count,
      message: v.message,
      entities: v.entities,
      violationSeconds: v.violationSeconds,
      episodes: v.episodes,
      ...(v.seq !== undefined ? { seq: v.seq } : {}),
    })),
    ...(result.why !== undefined ? { why: result.why } : {}),
    metrics: result.metrics,
    faultsOff: result.faultsOff,
    ...(result.stoppedEarly !== undefined ? { stoppedEarly: result.stoppedEarly } : {}),
    ...(result.limit !== undefined ? { limit: result.limit } : {}),
    outcome: runOutcome(result),
    checks: result.checks.map((c) => ({
      check: c.check,
      at: c.origin,
      atMs: c.atMs,
      holds: c.holds,
      expected: c.expected,
      actual: c.actual,
    })),
    state: {
      end: { atMs: result.state.atMs, ...result.state.view },
      checks: result.checks.map((c) => ({ at: c.origin, atMs: c.atMs, ...c.state.view })),
    },
  };
}
