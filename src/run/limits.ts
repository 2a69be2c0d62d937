/**
 * Per-run limits: a run that reaches one stops there and has no verdict (a runaway scenario is
 * never a pass). Every limit counts something in the run itself, never wall time, so where a run
 * stops is deterministic: the same on any machine, in any worker.
 */
export interface RunLimits {
  /** Events taken off the queue. */
  readonly events: number;
  /** Simulated time (ms): a run longer than this stops at it. */
  readonly simulatedMs: number;
  /**
   * Events pending in the queue at once: what a message storm grows, so it bounds the run's
   * memory (each pending event holds a message) without reading the heap, which is not
   * deterministic.
   */
  readonly pendingEvents: number;
}

/**
 * A shipped scenario runs a few thousand events; a runaway reaches 5 M in 2–4 s (about 1.5 M
 * events/s on one core). A day of simulated time is 90 times the longest shipped scenario.
 */
export const DEFAULT_LIMITS: RunLimits = {
  events: 5_000_000,
  simulatedMs: 24 * 3_600_000,
  pendingEvents: 1_000_000,
};

export type LimitKind = 'events' | 'simulated-time' | 'pending-events';

/** Why a run stopped at a limit, for reports and the `run --json` object. */
export interface LimitHit {
  readonly kind: LimitKind;
  readonly message: string;
}

/** The flag that raises each limit, named in every message about it. */
export const LIMIT_FLAGS: Readonly<Record<LimitKind, string>> = {
  events: '--max-events',
  'simulated-time': '--max-sim-time',
  'pending-events': '--max-pending',
};
