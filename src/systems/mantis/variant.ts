import { didYouMean } from '../../util/names.js';
import type { VariantSpec } from '../system-model.js';

/**
 * The variants of CONTRACT §5 as switches the actors consult at the exact delta points of
 * specs/mantis.md §e. `as-is` is all switches off (the code of the report, `be1148fe`).
 */
export interface MantisVariant {
  /** fix-1a (eb0e8ad1): TaskExecutorReconnectedEvent from the registration handler; JobActor refreshes. */
  readonly reconnectedEventOnRegistration: boolean;
  /** fix-1a-merged (FIX784): heartbeat `workerId ≠ null ∧ Available` → WorkerTerminate(prev) before pooling. */
  readonly heartbeatMismatchDetection: boolean;
  /** fix-1a-merged (FIX784 JobActor part): immediate push on WorkerTerminate/terminal while the job is Launched. */
  readonly immediatePushOnTerminate: boolean;
  /**
   * fix-1a-correct (spec e, "Simulator spec for 1A-correct", and edge case 3): on any transition
   * that makes a TE poolable, WorkerTerminate(previous identity) first, and pool only on the job's ack.
   */
  readonly terminateBeforePooling: boolean;
  /**
   * head (25ff35c2): the reservation scheduler (a 1 s registry tick instead of the legacy 60 s
   * retry; WorkerLaunched routed at assignment; AssignmentHandler's 3 submitTask attempts, then
   * WorkerLaunchFailed + unassign + disconnect the TE; no Assigned → Pending timer).
   */
  readonly reservationScheduler: boolean;
  /** fix-1b: TaskExecutorReconnected → JobClusterActor(prev.jobCluster) → every non-terminal JobActor of it. */
  readonly jobClusterBroadcast: boolean;
  /** fix-1c: persisted reverse index te → {(job, worker)}; targeted event to each job in it. */
  readonly reverseLookupIndex: boolean;
  /** broadcast: every (re)connection or Running → Pending goes to every JobActor. */
  readonly naiveBroadcast: boolean;
  /** fix-2: Quarantined(until now + quarantine) instead of Pending for a reused TE. */
  readonly quarantine: boolean;
  /** fix-3: the push server rejects a subscription whose name is not its own `<jobId>_<stage>`. */
  readonly dataPlaneNameCheck: boolean;
}

export const mantisVariants: readonly VariantSpec[] = [
  {
    id: 'as-is',
    meaning:
      'code of the report (be1148fe): a restarted TE is pooled silently, the JobActor finds out by its heartbeat check',
  },
  {
    id: 'fix-1a',
    meaning:
      'the proposed targeted TaskExecutorReconnectedEvent as first written (eb0e8ad1); all five defects kept, so it does not fix the reported path',
  },
  {
    id: 'fix-1a-merged',
    meaning:
      'PR #784 as merged (bcfba90b): heartbeat Running(w)+Available → WorkerTerminate(w, Lost) before pooling, immediate push',
  },
  {
    id: 'fix-1a-correct',
    meaning:
      "the spec's 1A-correct: any transition that makes a TE poolable first sends WorkerTerminate(its previous worker: Running, Assigned, or remembered across an archive) and pools the TE only when the job acks",
  },
  {
    id: 'head',
    meaning:
      'upstream HEAD (25ff35c2): the merged detection, with the reservation scheduler (1 s tick, WorkerLaunched at assignment, 3 submitTask attempts, no Assigned → Pending timer)',
  },
  {
    id: 'fix-1b',
    meaning:
      "job-cluster broadcast: the reconnection goes to every active job of the previous worker's cluster",
  },
  {
    id: 'fix-1c',
    meaning:
      'reverse lookup: a persisted index te → jobs; a targeted event to each job that believes it has a worker there',
  },
  { id: 'broadcast', meaning: 'naive broadcast: every TE (re)connection to every active JobActor' },
  {
    id: 'fix-2',
    meaning:
      'quarantine: a reused TE becomes available only after `quarantine` (default: the RC heartbeat timeout)',
  },
  {
    id: 'fix-3',
    meaning: 'data plane fails closed: the push server rejects a subscription for another job or stage',
  },
];

const SWITCHES: Readonly<Record<string, Partial<MantisVariant>>> = {
  'as-is': {},
  'fix-1a': { reconnectedEventOnRegistration: true },
  'fix-1a-merged': { heartbeatMismatchDetection: true, immediatePushOnTerminate: true },
  'fix-1a-correct': { terminateBeforePooling: true, immediatePushOnTerminate: true },
  head: { heartbeatMismatchDetection: true, immediatePushOnTerminate: true, reservationScheduler: true },
  'fix-1b': { jobClusterBroadcast: true },
  'fix-1c': { reverseLookupIndex: true },
  broadcast: { naiveBroadcast: true },
  'fix-2': { quarantine: true },
  'fix-3': { dataPlaneNameCheck: true },
};

const NONE: MantisVariant = {
  reconnectedEventOnRegistration: false,
  heartbeatMismatchDetection: false,
  immediatePushOnTerminate: false,
  terminateBeforePooling: false,
  reservationScheduler: false,
  jobClusterBroadcast: false,
  reverseLookupIndex: false,
  naiveBroadcast: false,
  quarantine: false,
  dataPlaneNameCheck: false,
};

/** null when `expression` (`fix-1a-merged+fix-3`) is valid, else what is wrong and what is allowed. */
export function checkMantisVariant(expression: string): string | null {
  const parts = expression.split('+');
  const allowed = `allowed: ${Object.keys(SWITCHES).join(', ')}, combined with '+' (e.g. fix-1a-merged+fix-3)`;
  const seen = new Set<string>();
  for (const part of parts) {
    // An own key: `constructor` or `toString` are in every object, never variants.
    if (!Object.hasOwn(SWITCHES, part))
      return `unknown mantis variant '${part}'${didYouMean(part, Object.keys(SWITCHES))} (${allowed})`;
    if (seen.has(part)) return `variant '${part}' appears twice in '${expression}'`;
    seen.add(part);
  }
  if (parts.length > 1 && seen.has('as-is'))
    return `'as-is' cannot be combined with fixes ('${expression}'); ${allowed}`;
  return null;
}

export function parseMantisVariant(expression: string): MantisVariant {
  const problem = checkMantisVariant(expression);
  if (problem !== null) throw new Error(problem);
  let variant: MantisVariant = NONE;
  for (const part of expression.split('+')) {
    if (!Object.hasOwn(SWITCHES, part)) throw new Error(`unknown mantis variant '${part}'`);
    variant = { ...variant, ...SWITCHES[part] };
  }
  return variant;
}
