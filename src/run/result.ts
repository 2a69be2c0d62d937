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
}

export interface RunMetrics {
  readonly messages: {
    readonly total: number;
    readonly dropped: number;
    readonly byType: Record<string, number>;
  };
  readonly [system: string]: unknown;
}
