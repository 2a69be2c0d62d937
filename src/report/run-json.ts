import type { Violation } from '../engine/index.js';
import type { RunResult } from '../run/result.js';

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
    })),
    metrics: result.metrics,
    faultsOff: result.faultsOff,
    ...(result.stoppedEarly !== undefined ? { stoppedEarly: result.stoppedEarly } : {}),
    ...(result.limit !== undefined ? { limit: result.limit } : {}),
  };
}
