import type { Actor, ActorContext, ActorRef, Envelope, Rng, TimerHandle } from '../../engine/index.js';
import { assert, assertNever, msToUs } from '../../engine/index.js';
import { ExecutorStateManager } from './executor-state-manager.js';
import type { WorkerId } from './ids.js';
import { workerKey, workerLabel } from './ids.js';
import type { JobToRc, RcToTe, Registration, RoutedEvent, TaskExecutorReport, TeToRc } from './messages.js';
import type { Availability, QuarantineOption, TaskExecutorState } from './task-executor-state.js';
import {
  describeAvailability,
  IllegalTaskExecutorTransition,
  TaskExecutorTaskCancelled,
} from './task-executor-state.js';
import type { MantisEnv } from './env.js';

type RcTimer =
  | { readonly type: 'HeartbeatTimeout'; readonly teId: string; readonly lastActivityUs: number }
  | { readonly type: 'TaskExecutorAssignmentTimeout'; readonly teId: string }
  | { readonly type: 'ScheduleRetry'; readonly key: string }
  | { readonly type: 'SubmitTimeout'; readonly requestId: number }
  /** head: AssignmentHandler's next submitTask attempt, `assignmentTimeout` after a failed one. */
  | {
      readonly type: 'SubmitRetry';
      readonly worker: WorkerId;
      readonly teId: string;
      readonly pinnedNode: string | null;
      readonly attempt: number;
    }
  | { readonly type: 'QuarantineExpired'; readonly teId: string; readonly epoch: number }
  /** The registration an InitializeTaskExecutorRequest read from the store, told to itself. */
  | { readonly type: 'InitializeTaskExecutorRegistration'; readonly registration: Registration };

export type RcInbox = TeToRc | JobToRc | RcTimer;

export const RC_ACTOR = 'resource-cluster';
export const TE_ACTOR = 'task-executor';
export const JCM_ACTOR = 'job-clusters-manager';

/** Durable keys of the control plane's stores (mantisJobStore), which survive a failover. */
export const STORE_TASK_EXECUTORS = 'taskExecutors';
export const STORE_REVERSE_INDEX = 'reverseIndex';
/** Durable key of the job store (the JobMetadata of every submitted job). */
export const STORE_JOBS = 'jobs';

interface PendingSchedule {
  readonly worker: WorkerId;
  readonly pinnedNode: string | null;
  timer: TimerHandle | null;
}

/** AssignmentHandlerActor's submitTask attempts (hard-coded upstream, props:42). */
const HEAD_ASSIGNMENT_ATTEMPTS = 3;

/** One WorkerEvent hop: the JobMessageRouter's tell, with a seeded extra delay. */
export function hopDelayUs(rng: Rng, maxMs: number): number {
  return maxMs <= 0 ? 0 : rng.intInclusive(0, msToUs(maxMs));
}

/**
 * ResourceClusterActor + ExecutorStateManagerActor + (PRE826) assignment timeout + the BUG-era
 * legacy scheduler (ResourceClusterAwareSchedulerActor), as one serial actor (spec §0 allows it:
 * "treat ESM-actor and RC as one serial actor"; the scheduler's submit and WorkerLaunched stay in
 * their BUG order). Variant deltas are marked `Δ fix-…`.
 */
export class ResourceClusterActor implements Actor<RcInbox> {
  readonly esm = new ExecutorStateManager();
  private readonly heartbeatTimers = new Map<string, TimerHandle>();
  private readonly assignmentTimers = new Map<string, TimerHandle>();
  private readonly pending = new Map<string, PendingSchedule>();
  private readonly submits = new Map<
    number,
    { worker: WorkerId; teId: string; pinnedNode: string | null; timer: TimerHandle; attempt: number }
  >();
  private nextRequestId = 1;
  private quarantineEpoch = 0;
  /** Ids seen by this leader incarnation (a first message after a failover = a reconnection). */
  private readonly seenThisLeader = new Set<string>();
  /**
   * Δ fix-1a-correct: the last worker each TE was Assigned or Running (the spec's
   * `lastWorkerByTe`, kept in the RC outside TaskExecutorState so an archive does not lose it;
   * in memory, so a failover does), and the TEs held out of the pool until the job acks.
   */
  private readonly lastWorkerByTe = new Map<string, WorkerId>();
  private readonly awaitingAck = new Map<string, WorkerId>();
  /** Acks that came while the TE could not be pooled yet (quarantined): TE → worker key. */
  private readonly ackedEarly = new Map<string, string>();
  /**
   * S2 d's witness, the RC's own record: an assignment it tried on a TE it believed Running
   * (findBestFitFor should make that impossible; it is judged, not assumed). Cleared at the end
   * of that TE's next turn.
   */
  assignedWhileRunning: {
    readonly teId: string;
    readonly worker: WorkerId;
    readonly running: WorkerId;
    readonly atUs: number;
  } | null = null;
  private readonly store: Map<string, Registration>;
  private readonly reverseIndex: Map<string, Map<string, WorkerId>>;
  private readonly hopRng: Rng;
  private readonly jcm: ActorRef<RoutedEvent>;
  /** The RC's own ref, typed by what it takes (an initialisation tells itself). */
  private readonly self: ActorRef<RcInbox>;

  constructor(
    private readonly ctx: ActorContext<RcInbox>,
    private readonly env: MantisEnv,
  ) {
    this.store = durableMap(ctx.durable, STORE_TASK_EXECUTORS);
    this.reverseIndex = durableMap(ctx.durable, STORE_REVERSE_INDEX);
    this.hopRng = ctx.random('router-hop');
    this.jcm = ctx.sim.ref<RoutedEvent>(ctx.node, JCM_ACTOR);
    this.self = ctx.ref as ActorRef<RcInbox>;
  }

  /** Read-only, for `check` steps and `run --json` state: the TaskExecutorStates, archive and pool. */
  get executorStates(): Readonly<ExecutorStateManager> {
    return this.esm;
  }

  /** Read-only: workers the scheduler holds as pending (waiting for a TE or a retry). */
  pendingWorkers(): WorkerId[] {
    return [...this.pending.values()].map((p) => p.worker);
  }

  onMessage(message: RcInbox, envelope: Readonly<Envelope>): void {
    switch (message.type) {
      case 'TaskExecutorRegistration':
        return this.onRegistration(message.registration, teSender(envelope));
      case 'TaskExecutorHeartbeat':
        return this.onHeartbeat(message.teId, message.report, teSender(envelope));
      case 'TaskExecutorStatusChange':
        // The RC's own tell (an initialisation) is not a sign of life from the TE.
        return this.onStatusChange(message.teId, message.report, envelope.from !== this.ctx.ref);
      case 'TaskExecutorDisconnection':
        return this.onDisconnectionMessage(message.teId);
      case 'SubmitTaskReply':
        return this.onSubmitTaskReply(message.requestId, message.error);
      case 'ScheduleRequestEvent':
        return this.onScheduleRequest(message.worker, message.pinnedTe);
      case 'TerminateWorkerRequest':
        return this.onTerminateWorkerRequest(message.worker);
      case 'WorkerTerminateAck':
        return this.onWorkerTerminateAck(message.teId, message.worker);
      case 'HeartbeatTimeout':
        return this.onHeartbeatTimeout(message.teId, message.lastActivityUs);
      case 'TaskExecutorAssignmentTimeout':
        return this.onAssignmentTimeout(message.teId);
      case 'ScheduleRetry':
        return this.attemptSchedule(message.key);
      case 'SubmitTimeout':
        return this.onSubmitTimeout(message.requestId);
      case 'SubmitRetry':
        return this.submitTask(message.teId, message.worker, message.pinnedNode, message.attempt);
      case 'QuarantineExpired':
        return this.onQuarantineExpired(message.teId, message.epoch);
      case 'InitializeTaskExecutorRequest':
        return this.onInitializeTaskExecutor(message.teId, message.worker);
      case 'InitializeTaskExecutorRegistration':
        return this.onRegistration(message.registration, null);
      default:
        return assertNever(message);
    }
  }

  /**
   * Mantis errata 1, legacy scheduler (onTaskExecutorInitialization, ResourceClusterActor.java
   * @bcfba90b:623-642): set up a state, then tell itself the registration read from the store and
   * StatusChange(Occupied(w)). Both tells queue behind what is already in the mailbox, so a TE
   * heartbeat (or a placement) that came first wins: lazily registered and pooled, then the init's
   * registration is ignored and Occupied(w) turns Pending into Running(w), or Assigned(x) into
   * Running(x) (the reported id is ignored).
   */
  private onInitializeTaskExecutor(teId: string, worker: WorkerId): void {
    const registration = this.store.get(teId);
    if (registration === undefined) {
      // mantisJobStore.getTaskExecutor throws: the ask fails, nothing changes.
      this.note(
        'registration',
        `InitializeTaskExecutorRequest(${teId}, ${workerLabel(worker)}) failed: ${teId} is not in the store`,
        teId,
        worker,
      );
      return;
    }
    this.esm.trackIfAbsent(teId); // setupTaskExecutorStateIfNecessary: the RC's own doing, not the TE heard from
    this.note(
      'registration',
      `InitializeTaskExecutorRequest(${teId}, ${workerLabel(worker)}): registration from the store, then Occupied(${workerLabel(worker)})`,
      teId,
      worker,
    );
    this.ctx.send(this.self, { type: 'InitializeTaskExecutorRegistration', registration });
    this.ctx.send(this.self, {
      type: 'TaskExecutorStatusChange',
      teId,
      report: { kind: 'Occupied', worker },
    });
    this.sync(teId);
  }

  // ================================================================ TE messages

  private track(teId: string): { state: TaskExecutorState; fresh: boolean } {
    const tracked = this.esm.trackIfAbsent(teId);
    // A TE the store knew, seen first by a new leader: it "reconnects" (failover blast radius).
    const firstForNewLeader =
      !this.seenThisLeader.has(teId) && this.ctx.incarnation > 0 && this.store.has(teId);
    this.seenThisLeader.add(teId);
    this.env.truth.counters.rcHeardFrom(teId, firstForNewLeader);
    return tracked;
  }

  /** handleTaskExecutorRegistration (:489-510); `from` null: the RC's own tell (an initialisation). */
  private onRegistration(registration: Registration, from: ActorRef<RcToTe> | null): void {
    const teId = registration.teId;
    const { state } = from === null ? this.esm.trackIfAbsent(teId) : this.track(teId);
    const known = this.store.has(teId);
    const previous = state.previousWorkerId;
    const changed = state.onRegistration(registration, this.now());
    this.store.set(teId, registration); // storeNewTaskExecutor, whether or not the state adopted it
    if (changed) {
      this.note('registration', `${teId} registered (${registration.hostname})`, teId);
      if (this.env.variant.quarantine && known) state.quarantineNextAvailable = true; // Δ fix-2
      this.esm.tryMarkAvailable(teId); // never: availability is null right after registration
      this.restartHeartbeatTimer(teId, state);
      // Δ fix-1a (eb0e8ad1): only on the registration path, only with a remembered previousWorkerId.
      if (this.env.variant.reconnectedEventOnRegistration && previous !== null) {
        this.route({ type: 'TaskExecutorReconnectedEvent', worker: previous, teId });
        state.previousWorkerId = null;
      }
    } else {
      this.note(
        'registration',
        `${teId} registration ignored: already Registered, the old registration is kept`,
        teId,
      );
    }
    if (from !== null) this.ctx.send(from, { type: 'RegistrationAck' });
    this.sync(teId);
  }

  /** onHeartbeat (:512-549) with FIX784's mismatch detection as a variant. */
  private onHeartbeat(teId: string, report: TaskExecutorReport, from: ActorRef<RcToTe>): void {
    const { state, fresh } = this.track(teId);
    if (!state.registered) {
      const stored = this.store.get(teId);
      if (stored === undefined) {
        this.ctx.send(from, {
          type: 'HeartbeatFailure',
          reason: 'TaskExecutorNotFoundException',
          worker: null,
        });
        return this.sync(teId);
      }
      state.onRegistration(stored, this.now()); // lazy re-registration from the store
      if (this.env.variant.quarantine) state.quarantineNextAvailable = true; // Δ fix-2: a known id, fresh state
      this.note(
        'registration',
        `${teId} re-registered lazily from the store (heartbeat${fresh ? ', fresh state' : ''})`,
        teId,
      );
    }
    const before = state.availability;
    // Δ fix-1a-merged (ii): mismatch detection; (i) previousWorkerId is always null here.
    let previous: WorkerId | null = null;
    // Under fix-1a-correct too, `pool` sends the WorkerTerminate (once, with its ack).
    if (this.env.variant.heartbeatMismatchDetection && !this.env.variant.terminateBeforePooling)
      previous =
        state.previousWorkerId ??
        (state.workerId !== null && report.kind === 'Available' ? state.workerId : null);
    let changed: boolean;
    try {
      changed = state.onHeartbeat(report, this.now(), this.quarantineOption(teId));
    } catch (error) {
      if (error instanceof TaskExecutorTaskCancelled) {
        this.ctx.send(from, {
          type: 'HeartbeatFailure',
          reason: 'TaskExecutorTaskCancelledException',
          worker: error.worker,
        });
        this.restartHeartbeatTimer(teId, state);
        return this.sync(teId);
      }
      if (error instanceof IllegalTaskExecutorTransition) {
        this.ctx.send(from, { type: 'HeartbeatFailure', reason: 'IllegalStateException', worker: null });
        return this.sync(teId);
      }
      throw error;
    }
    if (changed) this.noteTransition(teId, before, state.availability, 'heartbeat', report);
    // Combined with fix-2 (`fix-1a-merged+fix-2`, not in the spec) the TE turns Quarantined, not
    // Pending; the model still notifies then, or the combination would silence FIX784.
    const quarantined = state.availability !== null && state.availability.kind === 'Quarantined';
    if (changed && (state.isAvailable || quarantined) && previous !== null) {
      // Same actor turn as tryMarkAvailable: the race of edge case 3 starts here.
      this.route({ type: 'WorkerTerminate', worker: previous, finalState: 'Failed', reason: 'Lost' });
      this.note(
        'detection',
        `${teId} reports Available while ${describeAvailability(before)}: WorkerTerminate(${workerLabel(previous)}, Failed, Lost)`,
        teId,
      );
      state.previousWorkerId = null;
    }
    // Δ fix-1a-correct with fix-2: a quarantine only delays the pooling; the job hears now and
    // its ack is waited for at the quarantine's end (see `pool`).
    if (changed && quarantined && this.env.variant.terminateBeforePooling) {
      const known = this.previousIdentity(teId, before);
      if (known !== null) this.askJobFirst(teId, known);
    }
    // A (re)connection: a fresh state's first report (after an archive or a failover, whatever it
    // reports), or Running(w) + Available by heartbeat (the reported path). The naive broadcast
    // fires on both (spec e: "every TE (re)connection or Running → Pending via heartbeat"); 1C only
    // on the first; 1B on both when it knows a previous worker [inferred: the spec names 1B's
    // message and its blind spots (archive, failover), not its trigger].
    const reconnected =
      changed && (before === null || (before.kind === 'Running' && report.kind === 'Available'));
    if (reconnected) this.notifyReconnection(teId, state, before, report);
    // The heartbeat handler only marks available (spec a2); a TE that turns Running stays in
    // executorsByGroup but findBestFitFor re-filters it out with isAvailable.
    if (changed && state.isAvailable) this.pool(teId, before);
    this.restartHeartbeatTimer(teId, state);
    this.ctx.send(from, { type: 'HeartbeatAck' });
    this.sync(teId);
  }

  /** :551-570; no mismatch detection, no lazy registration. */
  private onStatusChange(teId: string, report: TaskExecutorReport, fromTe: boolean): void {
    const { state } = fromTe ? this.track(teId) : this.esm.trackIfAbsent(teId);
    if (!state.registered) {
      this.note('status', `${teId} status change dropped: not registered`, teId);
      return this.sync(teId);
    }
    const before = state.availability;
    const changed = state.onTaskExecutorStatusChange(report, this.now());
    if (changed) {
      this.noteTransition(teId, before, state.availability, 'status change', report);
      // [inferred] 1C's index also forgets a worker whose TE reports it gone (the spec lists
      // WorkerLaunched / WorkerTerminate / resubmit as the index's updates).
      if (before !== null && before.kind === 'Running') this.forgetIndexed(teId, before.worker);
      if (state.isAvailable) this.pool(teId, before);
      else this.esm.tryMarkUnavailable(teId);
    }
    this.restartHeartbeatTimer(teId, state);
    this.sync(teId);
  }

  private onDisconnectionMessage(teId: string): void {
    this.track(teId);
    this.disconnect(teId, 'TaskExecutorDisconnection');
  }

  /** HeartbeatTimeout(id, snapshot): disconnect if nothing happened since the snapshot. */
  private onHeartbeatTimeout(teId: string, lastActivityUs: number): void {
    this.heartbeatTimers.delete(teId);
    const { state } = this.track(teId); // every handler tracks first: a stale timeout revives an entry (PR #874)
    if (state.lastActivityUs <= lastActivityUs)
      this.disconnect(teId, `no heartbeat for ${this.env.config.rcHeartbeatTimeout / 1000}s`);
    else this.sync(teId);
  }

  private disconnect(teId: string, why: string): void {
    const state = this.esm.states.get(teId);
    if (state === undefined) return;
    const held = state.workerId;
    if (state.onDisconnection(this.now())) {
      this.note(
        'disconnection',
        `${teId} disconnected (${why})${held !== null ? `; previousWorkerId ${workerLabel(held)} archived with the state` : ''}`,
        teId,
      );
      this.esm.archive(teId);
      // Δ fix-1a-correct: a wait for an ack ends with the state; the TE's return asks again.
      this.awaitingAck.delete(teId);
      this.ackedEarly.delete(teId);
      const timer = this.heartbeatTimers.get(teId);
      if (timer !== undefined) this.ctx.cancel(timer);
      this.heartbeatTimers.delete(teId);
    }
    this.sync(teId);
  }

  // ================================================================ fixes 1B, 1C, naive broadcast

  /**
   * A TE (re)connected: a fresh state's first report, or Running(w) + Available by heartbeat.
   * `report` is passed on so a job does not fail the worker the TE says it is running.
   */
  private notifyReconnection(
    teId: string,
    state: TaskExecutorState,
    before: Availability,
    report: TaskExecutorReport,
  ): void {
    const variant = this.env.variant;
    const hostname = state.registration?.hostname ?? teId;
    const reported = report.kind === 'Occupied' ? report.worker : null;
    const previous = before !== null && before.kind === 'Running' ? before.worker : state.previousWorkerId;
    if (variant.jobClusterBroadcast && previous !== null) {
      // Δ fix-1b: needs the cluster name, i.e. a previous worker id (blind after archive/failover).
      this.route({
        type: 'TaskExecutorReconnected',
        teId,
        hostname,
        cluster: previous.cluster,
        jobId: null,
        workers: null,
        reported,
      });
    }
    // Δ fix-1c fires "on reconnection of a TE with unknown or fresh state" (spec e): a fresh
    // state's first report (after an archive or a failover), not Running(w) + Available on a
    // state the RC still holds (the reported path), which is the merged fix's mismatch detection.
    if (variant.reverseLookupIndex && before === null) {
      // Targeted events from the persisted index (covers archive loss and failover).
      const indexed = this.reverseIndex.get(teId);
      if (indexed !== undefined) {
        const byJob = new Map<string, WorkerId[]>();
        for (const [key, w] of indexed) {
          if (reported !== null && workerKey(reported) === key) continue; // still running there
          byJob.set(w.jobId, [...(byJob.get(w.jobId) ?? []), w]);
          indexed.delete(key);
        }
        for (const [jobId, workers] of byJob) {
          this.route({
            type: 'TaskExecutorReconnected',
            teId,
            hostname,
            cluster: (workers[0] as WorkerId).cluster,
            jobId,
            workers,
            reported,
          });
        }
      }
    }
    if (variant.naiveBroadcast) {
      // Δ broadcast: every JobActor of every cluster checks its workers by slaveID (after a
      // failover every TE "reconnects": #TE × #jobs messages).
      this.route({
        type: 'TaskExecutorReconnected',
        teId,
        hostname,
        cluster: null,
        jobId: null,
        workers: null,
        reported,
      });
    }
  }

  private indexLaunch(teId: string, w: WorkerId): void {
    if (!this.env.variant.reverseLookupIndex) return;
    let entry = this.reverseIndex.get(teId);
    if (entry === undefined) this.reverseIndex.set(teId, (entry = new Map()));
    entry.set(workerKey(w), w);
  }

  private forgetIndexed(teId: string | null, w: WorkerId): void {
    if (!this.env.variant.reverseLookupIndex) return;
    if (teId !== null) {
      this.reverseIndex.get(teId)?.delete(workerKey(w));
      return;
    }
    for (const entry of this.reverseIndex.values()) entry.delete(workerKey(w));
  }

  // ================================================================ fix-2 quarantine

  private quarantineOption(teId: string): QuarantineOption | null {
    if (!this.env.variant.quarantine) return null;
    return {
      make: (worker) => {
        const epoch = ++this.quarantineEpoch;
        const untilUs = this.now() + msToUs(this.env.config.quarantine);
        this.ctx.after(msToUs(this.env.config.quarantine), { type: 'QuarantineExpired', teId, epoch });
        return { kind: 'Quarantined', worker, untilUs, epoch };
      },
    };
  }

  private onQuarantineExpired(teId: string, epoch: number): void {
    const state = this.esm.states.get(teId);
    if (state === undefined) return;
    const before = state.availability;
    if (state.onQuarantineExpired(epoch)) {
      this.note('quarantine', `${teId} leaves quarantine`, teId);
      this.pool(teId, before);
    }
    this.sync(teId);
  }

  // ================================================================ scheduling (legacy scheduler, PRE826 assignment)

  private onScheduleRequest(worker: WorkerId, pinnedNode: string | null): void {
    const key = workerKey(worker);
    const existing = this.pending.get(key);
    if (existing?.timer != null) this.ctx.cancel(existing.timer);
    this.pending.set(key, { worker, pinnedNode, timer: null });
    // Δ head: the ReservationRegistryActor places pending requests on its 1 s tick.
    if (this.env.variant.reservationScheduler)
      (this.pending.get(key) as PendingSchedule).timer = this.ctx.after(this.untilNextTickUs(), {
        type: 'ScheduleRetry',
        key,
      });
    else this.attemptSchedule(key);
  }

  /** Δ head: µs to the reservation registry's next tick (ticks at multiples of `reservationTick`). */
  private untilNextTickUs(): number {
    const tickUs = msToUs(this.env.config.reservationTick);
    return tickUs - (this.now() % tickUs);
  }

  private attemptSchedule(key: string): void {
    const request = this.pending.get(key);
    if (request === undefined) return;
    request.timer = null;
    const teId = this.esm.findBestFitFor(request.pinnedNode);
    if (teId === null) {
      const reservation = this.env.variant.reservationScheduler;
      const retry = reservation
        ? 'at the next reservation tick'
        : `retry in ${this.env.config.schedulerRetryInterval / 1000}s`;
      this.note(
        'scheduler',
        `no resource for ${workerLabel(request.worker)}${request.pinnedNode !== null ? ` (pinned to ${request.pinnedNode})` : ''}: NoResourceAvailable, ${retry}`,
        null,
        request.worker,
      );
      request.timer = this.ctx.after(
        reservation ? this.untilNextTickUs() : msToUs(this.env.config.schedulerRetryInterval),
        { type: 'ScheduleRetry', key },
      );
      return;
    }
    this.pending.delete(key);
    this.assign(teId, request.worker, request.pinnedNode);
  }

  /** assignTaskExecutor (PRE826 :759-771) then the scheduler's submitTask. */
  private assign(teId: string, worker: WorkerId, pinnedNode: string | null): void {
    const state = this.esm.states.get(teId);
    assert(state !== undefined, 'the scheduler assigns a tracked TE', { teId });
    const running = state.availability;
    // S2 d is judged, not assumed: findBestFitFor should make this impossible.
    if (running !== null && running.kind === 'Running')
      this.assignedWhileRunning = { teId, worker, running: running.worker, atUs: this.now() };
    try {
      state.onAssignment(worker);
    } catch (error) {
      if (!(error instanceof IllegalTaskExecutorTransition)) throw error;
      this.note(
        'scheduler',
        `assignment of ${workerLabel(worker)} to ${teId} failed: ${error.message}`,
        teId,
        worker,
      );
      return this.requeue(worker, pinnedNode);
    }
    assert(state.isRunningOrAssigned(worker), 'an assignment leaves the TE Assigned(w)', {
      teId,
      worker: workerLabel(worker),
    });
    this.esm.tryMarkUnavailable(teId);
    this.note('assignment', `${workerLabel(worker)} assigned to ${teId}`, teId, worker);
    if (this.env.variant.reservationScheduler) {
      // Δ head (:572-639): WorkerLaunched at assignment, before the TE has the task; no
      // Assigned → Pending timer (the AssignmentHandler's attempts are all there is).
      this.route({ type: 'WorkerLaunched', worker, teId, hostname: state.registration?.hostname ?? teId });
      this.indexLaunch(teId, worker);
    } else {
      const old = this.assignmentTimers.get(teId);
      if (old !== undefined) this.ctx.cancel(old);
      this.assignmentTimers.set(
        teId,
        this.ctx.after(msToUs(this.env.config.assignmentTimeout), {
          type: 'TaskExecutorAssignmentTimeout',
          teId,
        }),
      );
    }
    this.submitTask(teId, worker, pinnedNode, 1);
    this.sync(teId);
  }

  /** The gateway's submitTask, bounded by `assignmentTimeout` (HEAD: one attempt of up to 3). */
  private submitTask(teId: string, worker: WorkerId, pinnedNode: string | null, attempt: number): void {
    const state = this.esm.states.get(teId);
    const requestId = this.nextRequestId++;
    const timer = this.ctx.after(msToUs(this.env.config.assignmentTimeout), {
      type: 'SubmitTimeout',
      requestId,
    });
    this.submits.set(requestId, { worker, teId, pinnedNode, timer, attempt });
    const address = state?.registration?.address ?? teId;
    if (attempt > 1)
      this.note(
        'assignment',
        `submitTask of ${workerLabel(worker)} to ${teId}, attempt ${attempt} of ${HEAD_ASSIGNMENT_ATTEMPTS}`,
        teId,
        worker,
      );
    this.ctx.send(this.ctx.sim.ref<RcToTe>(address, TE_ACTOR), { type: 'SubmitTask', requestId, worker });
  }

  private onSubmitTaskReply(requestId: number, error: string | null): void {
    const submit = this.submits.get(requestId);
    if (submit === undefined) return;
    this.submits.delete(requestId);
    this.ctx.cancel(submit.timer);
    if (error === null) {
      if (this.env.variant.reservationScheduler) return; // WorkerLaunched went out at assignment
      const hostname = this.esm.states.get(submit.teId)?.registration?.hostname ?? submit.teId;
      // BUG order: WorkerLaunched after the submit ack (ResourceClusterAwareSchedulerActor :285-313).
      this.route({ type: 'WorkerLaunched', worker: submit.worker, teId: submit.teId, hostname });
      this.indexLaunch(submit.teId, submit.worker);
      return;
    }
    this.submitFailed(submit, `${submit.teId} refused ${workerLabel(submit.worker)}: ${error}`);
  }

  private onSubmitTimeout(requestId: number): void {
    const submit = this.submits.get(requestId);
    if (submit === undefined) return;
    this.submits.delete(requestId);
    this.submitFailed(submit, `submitTask of ${workerLabel(submit.worker)} to ${submit.teId} timed out`);
  }

  private submitFailed(
    submit: { worker: WorkerId; teId: string; pinnedNode: string | null; attempt: number },
    what: string,
  ): void {
    if (!this.env.variant.reservationScheduler) {
      this.note(
        'scheduler',
        `${what}; retry in ${this.env.config.schedulerRetryInterval / 1000}s`,
        submit.teId,
        submit.worker,
      );
      return this.requeue(submit.worker, submit.pinnedNode);
    }
    // Δ head (AssignmentHandlerActor :94-231): up to 3 attempts, `assignmentTimeout` apart.
    if (submit.attempt < HEAD_ASSIGNMENT_ATTEMPTS) {
      this.note(
        'assignment',
        `${what}; attempt ${submit.attempt + 1} in ${this.env.config.assignmentTimeout / 1000}s`,
        submit.teId,
        submit.worker,
      );
      this.ctx.after(msToUs(this.env.config.assignmentTimeout), {
        type: 'SubmitRetry',
        worker: submit.worker,
        teId: submit.teId,
        pinnedNode: submit.pinnedNode,
        attempt: submit.attempt + 1,
      });
      return;
    }
    this.failAndTerminate(submit.teId, submit.worker, what);
  }

  /** Δ head: TaskExecutorAssignmentFailAndTerminate (:641-673): if not Running, fail the launch, unassign and disconnect the TE. */
  private failAndTerminate(teId: string, worker: WorkerId, what: string): void {
    // Every ESM handler tracks first: an archived TE gets a fresh entry (not heard from: this is
    // the RC's own message, so no rcHeardFrom).
    const { state } = this.esm.trackIfAbsent(teId);
    if (state.isRunningTask) return this.sync(teId);
    this.note(
      'assignment',
      `${what}: ${HEAD_ASSIGNMENT_ATTEMPTS} attempts failed; WorkerLaunchFailed(${workerLabel(worker)}), ${teId} unassigned and disconnected`,
      teId,
      worker,
    );
    this.route({ type: 'WorkerLaunchFailed', worker, error: 'assignment failed' });
    const before = state.availability;
    try {
      if (state.onUnassignment())
        this.noteTransition(teId, before, state.availability, 'assignment failure', null);
    } catch (error) {
      if (!(error instanceof IllegalTaskExecutorTransition)) throw error;
    }
    this.disconnect(teId, 'assignment failure');
  }

  /**
   * Inferred: the spec only gives the legacy scheduler's retry after NoResourceAvailable
   * (schedulerRetryInterval, :266-282); a refused or timed-out submitTask is retried the same way.
   * The 60-retry cap (…max-retries) is not modelled: an hour of retries outlasts every scenario.
   */
  private requeue(worker: WorkerId, pinnedNode: string | null): void {
    const key = workerKey(worker);
    const timer = this.ctx.after(msToUs(this.env.config.schedulerRetryInterval), {
      type: 'ScheduleRetry',
      key,
    });
    this.pending.set(key, { worker, pinnedNode, timer });
  }

  /** PRE826 (:773-795): if not Running → onUnassignment → Pending → tryMarkAvailable. */
  private onAssignmentTimeout(teId: string): void {
    this.assignmentTimers.delete(teId);
    const { state } = this.track(teId); // every handler tracks first (an archived TE gets a fresh, unregistered entry)
    if (state.isRunningTask) return this.sync(teId);
    const before = state.availability;
    try {
      if (state.onUnassignment()) {
        this.noteTransition(teId, before, state.availability, 'assignment timeout', null);
        this.pool(teId, before);
      }
    } catch (error) {
      if (!(error instanceof IllegalTaskExecutorTransition)) throw error;
    }
    this.sync(teId);
  }

  /** TerminateWorkerRequest (:939-967) and the legacy CancelRequestEvent's unqueue. */
  private onTerminateWorkerRequest(worker: WorkerId): void {
    const key = workerKey(worker);
    const pending = this.pending.get(key);
    if (pending !== undefined) {
      if (pending.timer !== null) this.ctx.cancel(pending.timer);
      this.pending.delete(key);
    }
    // The legacy CancelRequestEvent also drops an outstanding submit: no retry, no WorkerLaunched.
    // Δ head: TerminateWorkerRequest does not reach the AssignmentHandler, whose attempts go on
    // (edge case 1: a retry may resubmit w to the restarted TE).
    if (!this.env.variant.reservationScheduler) {
      for (const [requestId, submit] of this.submits) {
        if (workerKey(submit.worker) !== key) continue;
        this.ctx.cancel(submit.timer);
        this.submits.delete(requestId);
      }
    }
    this.forgetIndexed(null, worker);
    const teId = this.esm.findByWorker(worker);
    if (teId === null) {
      this.note(
        'terminate',
        `TerminateWorkerRequest(${workerLabel(worker)}): TaskNotFound, no TE is running or assigned it`,
        null,
        worker,
      );
    } else {
      const state = this.esm.states.get(teId);
      assert(state !== undefined, 'findByWorker names a tracked TE', { teId });
      state.cancelledWorkerOnTask = worker;
      const address = state.registration?.address ?? teId;
      this.ctx.send(this.ctx.sim.ref<RcToTe>(address, TE_ACTOR), { type: 'CancelTask', worker });
      this.note('terminate', `cancel ${workerLabel(worker)} on ${teId}`, teId, worker);
      this.sync(teId);
    }
    this.env.truth.terminateHandled(worker);
  }

  // ================================================================ helpers

  /**
   * A transition made `teId` poolable. Δ fix-1a-correct: if it had a previous identity w (the
   * state before, Running(w), Assigned(w) or a fix-2 Quarantined(w), or else the last worker it
   * had, remembered across an archive),
   * WorkerTerminate(w, Failed, Lost) goes first, and the TE joins the pool only on the job's ack
   * (edge case 3: pooled in the same turn, S1 would be a race). The job applies it only if w is
   * current and not terminal, so a normal completion costs one message and the ack's delay.
   */
  private pool(teId: string, before: Availability): void {
    if (!this.env.variant.terminateBeforePooling) return this.markAvailable(teId);
    const previous = this.previousIdentity(teId, before);
    if (previous === null) return this.markAvailable(teId);
    const key = workerKey(previous);
    if (this.ackedEarly.get(teId) === key) {
      // The job acked while the TE was quarantined: nothing left to wait for.
      this.ackedEarly.delete(teId);
      return this.markAvailable(teId);
    }
    this.askJobFirst(teId, previous);
  }

  /**
   * The TE's previous identity: the state before (Running(w), Assigned(w), a fix-2
   * Quarantined(w)), else the last worker it had. That one is forgotten only on the job's ack: if
   * a WorkerTerminate is lost and the TE is archived, its return still names the worker.
   */
  private previousIdentity(teId: string, before: Availability): WorkerId | null {
    const identity = before !== null && before.kind !== 'Pending' ? before.worker : null;
    return identity ?? this.lastWorkerByTe.get(teId) ?? null;
  }

  /**
   * Δ fix-1a-correct: WorkerTerminate(w) with a request for the job's ack, unless one for w is
   * already waiting; the TE stays out of the pool until the ack.
   */
  private askJobFirst(teId: string, previous: WorkerId): void {
    const awaited = this.awaitingAck.get(teId);
    if (awaited !== undefined && workerKey(awaited) === workerKey(previous)) return;
    this.route({
      type: 'WorkerTerminate',
      worker: previous,
      finalState: 'Failed',
      reason: 'Lost',
      ackFor: teId,
    });
    this.awaitingAck.set(teId, previous);
    this.ackedEarly.delete(teId);
    this.note(
      'detection',
      `${teId} is poolable after ${workerLabel(previous)}: WorkerTerminate(${workerLabel(previous)}, Failed, Lost); pooled when the job acks`,
      teId,
    );
  }

  private onWorkerTerminateAck(teId: string, worker: WorkerId): void {
    const awaited = this.awaitingAck.get(teId);
    if (awaited === undefined || workerKey(awaited) !== workerKey(worker)) return;
    this.awaitingAck.delete(teId);
    const remembered = this.lastWorkerByTe.get(teId);
    if (remembered !== undefined && workerKey(remembered) === workerKey(worker))
      this.lastWorkerByTe.delete(teId);
    const state = this.esm.states.get(teId);
    // Pooled only if nothing has happened to the TE meanwhile (still available, not re-assigned).
    if (state !== undefined && state.isAvailable) {
      this.note('pool', `job acked WorkerTerminate(${workerLabel(worker)}) for ${teId}`, teId);
      this.markAvailable(teId);
    } else if (state?.availability?.kind === 'Quarantined') {
      this.ackedEarly.set(teId, workerKey(worker));
    }
    this.sync(teId);
  }

  private markAvailable(teId: string): void {
    if (this.esm.tryMarkAvailable(teId)) this.note('pool', `${teId} is in the available pool`, teId);
  }

  private restartHeartbeatTimer(teId: string, state: TaskExecutorState): void {
    const old = this.heartbeatTimers.get(teId);
    if (old !== undefined) this.ctx.cancel(old);
    this.heartbeatTimers.set(
      teId,
      this.ctx.after(msToUs(this.env.config.rcHeartbeatTimeout), {
        type: 'HeartbeatTimeout',
        teId,
        lastActivityUs: state.lastActivityUs,
      }),
    );
  }

  /** JobMessageRouter.routeWorkerEvent: tell, always "succeeds"; first of the three hops. */
  private route(event: RoutedEvent): void {
    this.ctx.send(this.jcm, event, hopDelayUs(this.hopRng, this.env.config.routerHopDelay));
  }

  /**
   * The end of a turn that touched `teId`: the RC's own bookkeeping of what it just believed
   * (Δ fix-1a-correct's lastWorkerByTe; S2 d's record of that TE closes). Not a checker hook: the
   * invariants read the TaskExecutorStates themselves.
   */
  private sync(teId: string): void {
    if (this.assignedWhileRunning?.teId === teId) this.assignedWhileRunning = null;
    const state = this.esm.states.get(teId);
    if (state === undefined) return;
    const availability = state.availability;
    if (
      this.env.variant.terminateBeforePooling &&
      availability !== null &&
      (availability.kind === 'Running' || availability.kind === 'Assigned')
    ) {
      this.lastWorkerByTe.set(teId, availability.worker);
    }
  }

  private noteTransition(
    teId: string,
    before: Availability,
    after: Availability,
    cause: string,
    report: TaskExecutorReport | null,
  ): void {
    const reported =
      report === null
        ? ''
        : report.kind === 'Available'
          ? ' Available'
          : ` Occupied(${workerLabel(report.worker)})`;
    this.note(
      'rc-state',
      `${teId}: ${describeAvailability(before)} → ${describeAvailability(after)} (${cause}${reported})`,
      teId,
    );
  }

  private note(category: string, text: string, teId: string | null, worker?: WorkerId): void {
    const entities: Record<string, string> = {};
    if (teId !== null) entities.te = teId;
    if (worker !== undefined) {
      entities.worker = workerLabel(worker);
      entities.job = worker.jobId;
    }
    this.ctx.note(category, text, entities);
  }

  private now(): number {
    return this.ctx.now();
  }
}

/** Registrations and heartbeats come from a TE process (the protocol says so: only TEs send them). */
function teSender(envelope: Readonly<Envelope>): ActorRef<RcToTe> {
  return envelope.from as ActorRef<RcToTe>;
}

/** A Map kept in the node's durable store under `key` (created on first use). */
export function durableMap<K, V>(durable: Map<string, unknown>, key: string): Map<K, V> {
  let map = durable.get(key) as Map<K, V> | undefined;
  if (map === undefined) {
    map = new Map<K, V>();
    durable.set(key, map);
  }
  return map;
}
