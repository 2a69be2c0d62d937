import type { JobSpec } from './cluster.js';
import type { WorkerId } from './ids.js';

/** JOB/worker/WorkerState.java. */
export type WorkerState = 'Accepted' | 'Launched' | 'StartInitiated' | 'Started' | 'Failed' | 'Completed';

/** STATE_TRANSITION_MAP: anything else throws InvalidWorkerStateChangeException (caught and logged). */
const LEGAL: Readonly<Record<WorkerState, readonly WorkerState[]>> = {
  Accepted: ['Launched', 'Failed', 'Completed'],
  Launched: ['StartInitiated', 'Started', 'Failed', 'Completed'],
  StartInitiated: ['StartInitiated', 'Started', 'Failed', 'Completed'],
  Started: ['Started', 'Failed', 'Completed'],
  Failed: ['Failed'],
  Completed: [],
};

export function isLegalTransition(from: WorkerState, to: WorkerState): boolean {
  return LEGAL[from].includes(to);
}

export function isTerminal(state: WorkerState): boolean {
  return state === 'Failed' || state === 'Completed';
}

/** Launched, StartInitiated, Started: the worker should be running somewhere. */
export function isRunningState(state: WorkerState): boolean {
  return state === 'Launched' || state === 'StartInitiated' || state === 'Started';
}

/** One JobWorker: `slave` = hostname, `slaveID` = teId. */
export interface WorkerRecord {
  readonly id: WorkerId;
  state: WorkerState;
  slave: string | null;
  slaveID: string | null;
  acceptedAtUs: number;
  launchedAtUs: number | null;
  /** Not persisted upstream; re-initialised with a fake heartbeat on failover. */
  lastHeartbeatAtUs: number | null;
  /** When it last changed state (for notes and the quiescence test of L3). */
  changedAtUs: number;
}

export type JobState = 'Accepted' | 'Launched' | 'Failed';

/**
 * What the job store (mantisJobStore) holds for one job. Kept in the control plane's durable map:
 * the model writes through on every change (inferred simplification of the store's writes), so a
 * failover re-reads exactly this.
 */
export interface JobMetadata {
  readonly spec: JobSpec;
  state: JobState;
  nextNumber: number;
  /**
   * Sequence number of the last JobSchedulingInfo push. Kept with the job (not in the JobActor) so
   * a JobActor re-created by a failover keeps counting up: consumers drop an update whose seq is
   * not newer than the last one they applied (the model's stand-in for SSE stream order).
   */
  pushSeq: number;
  /** Current worker per slot `stage/index`. */
  readonly active: Map<string, WorkerRecord>;
  /** workerNumberToStageMap: numbers of current workers only. */
  readonly byNumber: Map<number, WorkerRecord>;
  /** Every worker ever, by number (archived ones too), for invariants. */
  readonly all: Map<number, WorkerRecord>;
  /** recentErrorWorkersCache: distinct failing worker numbers → when. */
  readonly recentErrors: Map<number, number>;
  /** WorkerResubmitRateLimiter: per slot, failures counted and the last one. */
  readonly resubmits: Map<string, { count: number; lastUs: number }>;
  /** SSE subscribers (consumer workers): inferred, see JobActor on failover. */
  readonly subscribers: Map<number, WorkerId>;
}

export function slotOf(stage: number, index: number): string {
  return `${stage}/${index}`;
}
