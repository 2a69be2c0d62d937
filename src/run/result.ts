import type { Note, TraceRecord, Violation } from '../engine/index.js';
import type { LimitHit } from './limits.js';
import type { PlanStep } from '../systems/system-model.js';

/** What one run produced: `run --json` prints the first block (CONTRACT §4). */
export interface RunResult {
  readonly scenario: string;
  readonly system: string;
  readonly variant: string;
  readonly seed: number;
  readonly simulatedMs: number;
  /** Deliveries and timer firings. */
  readonly events: number;
  readonly traceHash: string;
  readonly violations: readonly Violation[];
  readonly metrics: RunMetrics;
  /** Notable events in time order, for the text timeline. */
  readonly notes: readonly Note[];
  /** The steps that ran (timeline plus drawn faults). */
  readonly steps: readonly PlanStep[];
  readonly faultsOff: readonly string[];
  /** Full trace, only when asked for (`--trace`). */
  readonly trace?: { readonly records: readonly TraceRecord[]; readonly truncated: number };
  /** The run stopped early: an event or time limit, or stop-on-first. */
  readonly stoppedEarly?: string;
  /** The run reached a limit (events, simulated time, pending events): it has no verdict. */
  readonly limit?: LimitHit;
  /** The `check` steps judged in this run (those limited to other variants are left out), in time order. */
  readonly checks: readonly CheckResult[];
  /** The system's view at the end of the run (`{}` for a system that exposes none). */
  readonly state: StateView;
  /** The causal explanation of each violation (issue #16), when the run has any. */
  readonly why?: readonly Explanation[];
}

/** Why one violation happened: its causal chain from the roots (faults) to the violating event, pruned. */
export interface Explanation {
  readonly invariant: string;
  readonly atMs: number;
  readonly steps: readonly WhyStep[];
}

/** One notable step of a causal chain (or a fold of unremarkable ones). */
export interface WhyStep {
  readonly atUs: number;
  readonly node: string;
  readonly actor?: string;
  /** What happened, in words: `crash TE-1`, `RC pools TE-1 (as-is: no mismatch check)`. */
  readonly text: string;
  /** The trace event id (TraceRecord.seq) of this step, to highlight it in Perfetto/HTML. */
  readonly seq?: number;
  /** A fold of this many unremarkable steps (`… 6 heartbeats …`) instead of one step. */
  readonly folded?: number;
  /**
   * What kind of step it is, with no entity in it (a note's category, a scenario step's action,
   * a fold's word): the stuff of a finding's signature (see src/explore/signature.ts).
   */
  readonly kind?: string;
}

/** The system's view at one moment, read from its actors. */
export interface StateView {
  readonly atMs: number;
  readonly view: Readonly<Record<string, unknown>>;
}

/** One judged `check` step. */
export interface CheckResult {
  /** The vocabulary entry, e.g. `rc`. */
  readonly check: string;
  /** Where the step is written (`file:line`). */
  readonly origin: string;
  readonly atMs: number;
  readonly holds: boolean;
  /** The fact as the step states it. */
  readonly expected: string;
  /** What the system held. */
  readonly actual: string;
  /** The system's view at that moment. */
  readonly state: StateView;
}

/** How a run ended, for `run --json` `outcome` and the exit code. */
export type RunOutcome = 'ok' | 'violation' | 'check-failed' | 'limited';

/**
 * A failed check is the scenario author's own assertion failing: it wins over a violation (both
 * exit 1), so a conformance case never reads as a mere finding.
 */
export function runOutcome(result: Pick<RunResult, 'checks' | 'violations' | 'limit'>): RunOutcome {
  if (result.checks.some((c) => !c.holds)) return 'check-failed';
  if (result.violations.length > 0) return 'violation';
  // Stopped at a limit with nothing found before it: no verdict, never a pass.
  return result.limit !== undefined ? 'limited' : 'ok';
}

export interface RunMetrics {
  readonly messages: {
    readonly total: number;
    readonly dropped: number;
    readonly byType: Record<string, number>;
  };
  readonly [system: string]: unknown;
}
