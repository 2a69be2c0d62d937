import { fail } from '../../engine/index.js';
import type { WorkerId } from './ids.js';
import { sameWorker, workerLabel } from './ids.js';
import type { Registration, TaskExecutorReport } from './messages.js';

/**
 * `availabilityState` of RC/TaskExecutorState.java. `Quarantined` exists only under fix-2.
 * null = unknown (fresh state, or after a disconnection).
 */
export type Availability =
  | null
  | { readonly kind: 'Pending' }
  | { readonly kind: 'Assigned'; readonly worker: WorkerId }
  | { readonly kind: 'Running'; readonly worker: WorkerId }
  | {
      readonly kind: 'Quarantined';
      readonly worker: WorkerId | null;
      readonly untilUs: number;
      readonly epoch: number;
    };

const PENDING: Availability = { kind: 'Pending' };

/** The state machine threw (upstream: an exception the actor logs; the message has no effect). */
export class IllegalTaskExecutorTransition extends Error {
  override name = 'IllegalTaskExecutorTransition';
}

/** `TaskExecutorTaskCancelledException`: the TE still reports a worker the RC cancelled. */
export class TaskExecutorTaskCancelled extends Error {
  override name = 'TaskExecutorTaskCancelledException';
  constructor(readonly worker: WorkerId) {
    super(`task ${worker.jobId}#${worker.number} was cancelled`);
  }
}

export function describeAvailability(a: Availability): string {
  if (a === null) return 'unknown';
  if (a.kind === 'Pending') return 'Pending';
  if (a.kind === 'Quarantined') return 'Quarantined';
  return `${a.kind}(${workerLabel(a.worker)})`;
}

/**
 * One TE as the RC sees it (RC/TaskExecutorState.java). The transitions follow the
 * availabilityState table of specs/mantis.md §a2 exactly, INCLUDING the rows that ignore the
 * reported worker id (`Assigned(w) + Occupied(x) → Running(w)`, `Running(w) + Occupied(x)` stays).
 */
export class TaskExecutorState {
  state: 'Registered' | 'Unregistered' = 'Unregistered';
  registration: Registration | null = null;
  availability: Availability = null;
  lastActivityUs = 0;
  cancelledWorkerOnTask: WorkerId | null = null;
  /** Added by FIX784 (:81-84); dead in every version (archived with the object, see §e). */
  previousWorkerId: WorkerId | null = null;
  /** fix-2: the next Available is quarantined (a fresh state for an id the store already knew). */
  quarantineNextAvailable = false;

  get registered(): boolean {
    return this.state === 'Registered';
  }

  /** isAvailable = Pending ∧ ¬disabled (disabled TEs are not modelled). */
  get isAvailable(): boolean {
    return this.availability !== null && this.availability.kind === 'Pending';
  }

  get isRunningTask(): boolean {
    return this.availability !== null && this.availability.kind === 'Running';
  }

  /** The worker of Assigned(w) / Running(w) (Quarantined keeps the old one for notes only). */
  get workerId(): WorkerId | null {
    const a = this.availability;
    if (a === null || a.kind === 'Pending' || a.kind === 'Quarantined') return null;
    return a.worker;
  }

  isRunningOrAssigned(w: WorkerId): boolean {
    return sameWorker(this.workerId, w);
  }

  /** Already registered → false: the registration is NOT replaced (edge case 6). */
  onRegistration(registration: Registration, nowUs: number): boolean {
    if (this.registered) return false;
    this.state = 'Registered';
    this.registration = registration;
    this.lastActivityUs = nowUs;
    return true;
  }

  onDisconnection(nowUs: number): boolean {
    if (!this.registered) return false;
    this.state = 'Unregistered';
    this.registration = null;
    this.previousWorkerId = this.workerId;
    this.availability = null;
    this.lastActivityUs = nowUs;
    return true;
  }

  /**
   * Steps 1, 3, 4, 5 of onHeartbeat (:198-231); step 2 (HEAD's WorkerTerminate) is the RC's,
   * because which version emits what is a variant. `quarantineUntil` (fix-2) turns the reuse
   * transitions into Quarantined. Returns whether the availability changed.
   */
  onHeartbeat(
    report: TaskExecutorReport,
    nowUs: number,
    quarantine: QuarantineOption | null = null,
  ): boolean {
    if (!this.registered)
      throw new IllegalTaskExecutorTransition('heartbeat from an unregistered task executor');
    const cancelled = this.cancelledWorkerOnTask;
    if (cancelled !== null) {
      if (report.kind === 'Occupied' && sameWorker(report.worker, cancelled))
        throw new TaskExecutorTaskCancelled(cancelled);
      this.cancelledWorkerOnTask = null;
    }
    const changed = this.handleStatusChange(report, quarantine);
    this.lastActivityUs = nowUs;
    return changed;
  }

  /** No mismatch detection on this path (:233-241). */
  onTaskExecutorStatusChange(report: TaskExecutorReport, nowUs: number): boolean {
    if (!this.registered)
      throw new IllegalTaskExecutorTransition('status change from an unregistered task executor');
    const changed = this.handleStatusChange(report, null);
    this.lastActivityUs = nowUs;
    return changed;
  }

  onAssignment(w: WorkerId): boolean {
    const a = this.availability;
    if (a !== null && a.kind === 'Pending') return this.set({ kind: 'Assigned', worker: w });
    if (a !== null && a.kind === 'Assigned' && sameWorker(a.worker, w)) return false;
    throw new IllegalTaskExecutorTransition(`onAssignment while ${describeAvailability(a)}`);
  }

  onUnassignment(): boolean {
    const a = this.availability;
    if (a === null || a.kind === 'Running')
      throw new IllegalTaskExecutorTransition(`onUnassignment while ${describeAvailability(a)}`);
    if (a.kind === 'Assigned') return this.set(PENDING);
    return false; // Pending, Quarantined: no-op
  }

  /** fix-2: QuarantineExpired(te, epoch) → Pending if still quarantined with the same epoch. */
  onQuarantineExpired(epoch: number): boolean {
    const a = this.availability;
    if (a === null || a.kind !== 'Quarantined' || a.epoch !== epoch) return false;
    return this.set(PENDING);
  }

  /** The availabilityState table. */
  private handleStatusChange(report: TaskExecutorReport, quarantine: QuarantineOption | null): boolean {
    const a = this.availability;
    if (report.kind === 'Available') {
      if (a === null) {
        if (quarantine !== null && this.quarantineNextAvailable) return this.set(quarantine.make(null));
        return this.set(PENDING);
      }
      switch (a.kind) {
        case 'Pending':
        case 'Assigned': // stays Assigned(w): a restarted TE with a stale assignment is stuck (L4)
        case 'Quarantined':
          return false;
        case 'Running':
          return this.set(quarantine !== null ? quarantine.make(a.worker) : PENDING);
      }
    }
    if (a === null) return this.set({ kind: 'Running', worker: report.worker });
    switch (a.kind) {
      case 'Pending':
      case 'Quarantined':
        return this.set({ kind: 'Running', worker: report.worker });
      case 'Assigned':
        return this.set({ kind: 'Running', worker: a.worker }); // reported x ignored
      case 'Running':
        return false; // reported x ignored
    }
  }

  private set(next: Availability): boolean {
    // Availability moves only while registered (a disconnection clears it without `set`).
    if (this.state !== 'Registered')
      fail('a TaskExecutorState changes availability only while registered', {
        from: describeAvailability(this.availability),
        to: describeAvailability(next),
      });
    this.availability = next;
    if (next !== null && next.kind !== 'Quarantined') this.quarantineNextAvailable = false;
    return true;
  }
}

/** fix-2's Quarantined value factory (the RC owns the epoch counter and the expiry timer). */
export interface QuarantineOption {
  make(worker: WorkerId | null): Availability;
}
