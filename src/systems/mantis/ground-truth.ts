import type { Simulation } from '../../engine/index.js';
import { DataPlane } from './data-plane.js';
import type { WorkerId } from './ids.js';
import { workerKey } from './ids.js';

/**
 * What is true of a Mantis run but is no actor's state, in one place: which process really
 * serves each TE's sink port and the live inter-stage connections (the data plane, physics every
 * consumer's dial goes through), TerminateWorkerRequests on the wire, and counters for `run
 * --json` metrics. Models write it; no control-plane decision reads it (the routers read their
 * own job store, the RC its own TaskExecutorStates). The invariants read it through MantisView.
 */
export class MantisGroundTruth {
  readonly dataPlane: DataPlane;
  /** TerminateWorkerRequests sent and not yet handled by the RC, by worker key (S4's "in flight"). */
  private readonly terminates = new Map<string, number>();
  /** Bumped on every write the safety checks read here (not the data plane: S1 reads it directly). */
  version = 0;
  readonly counters = new MantisCounters();

  constructor(sim: Simulation, dataPlaneNameCheck: boolean) {
    this.dataPlane = new DataPlane(sim, dataPlaneNameCheck);
  }

  /** A TerminateWorkerRequest for `w` leaves a JobActor or a router for the RC. */
  terminateSent(w: WorkerId): void {
    const key = workerKey(w);
    this.terminates.set(key, (this.terminates.get(key) ?? 0) + 1);
    this.version++;
  }

  /** The RC handled one. */
  terminateHandled(w: WorkerId): void {
    const key = workerKey(w);
    const n = (this.terminates.get(key) ?? 0) - 1;
    if (n <= 0) this.terminates.delete(key);
    else this.terminates.set(key, n);
    this.version++;
  }

  terminateInFlight(key: string): boolean {
    return this.terminates.has(key);
  }
}

/** Measurements for `run --json` (what a fix costs); never read by a model or an invariant. */
export class MantisCounters {
  teReconnections = 0;
  /** A fix's notifications that reached a JobActor, by message type. */
  readonly notifications = new Map<string, number>();
  /** TEs restarted and not yet heard by the RC: a new leader must not count them a second time. */
  private readonly restartedUnheard = new Set<string>();

  /** A TE process started again (a reconnection to come). */
  teRestarted(teId: string): void {
    this.teReconnections++;
    this.restartedUnheard.add(teId);
  }

  /**
   * The RC handles a message of `teId`; `firstForNewLeader` when a leader that took over sees a
   * TE the store knows for the first time (a failover "reconnection", counted unless it is the
   * restart already counted).
   */
  rcHeardFrom(teId: string, firstForNewLeader: boolean): void {
    if (firstForNewLeader && !this.restartedUnheard.has(teId)) this.teReconnections++;
    this.restartedUnheard.delete(teId);
  }

  countNotification(type: string): void {
    this.notifications.set(type, (this.notifications.get(type) ?? 0) + 1);
  }
}
