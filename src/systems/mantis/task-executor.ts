import type { Actor, ActorContext, ActorRef, Envelope } from '../../engine/index.js';
import { assert, assertNever, msToUs } from '../../engine/index.js';
import type { ExecutorSpec } from './cluster.js';
import type { WorkerId } from './ids.js';
import { sameWorker, workerLabel } from './ids.js';
import type {
  ConsumerInbox,
  RcToTe,
  RoutedEvent,
  SubscribeSchedulingInfo,
  TaskExecutorReport,
  TeToRc,
} from './messages.js';
import { AVAILABLE } from './messages.js';
import { JCM_ACTOR, RC_ACTOR } from './resource-cluster-actor.js';
import { jobActorName } from './router.js';
import { WorkerProcess } from './worker.js';
import type { MantisEnv } from './env.js';

type TeTimer =
  { readonly type: 'HeartbeatLoop' } | { readonly type: 'PrepareDone'; readonly worker: WorkerId };
export type TeInbox = RcToTe | TeTimer;

/** `rmCxnState.txt`: survives a JVM restart in the same container. */
const ALREADY_REGISTERED = 'alreadyRegistered';

/**
 * One task executor process (AGENT/TaskExecutor.java + ResourceManagerGatewayCxn): a stable
 * configured id, the heartbeat loop, the durable "already registered" flag, submit/cancel, and
 * fire-and-forget status changes. A crash sends nothing; the worker it runs dies with it.
 */
export class TaskExecutorActor implements Actor<TeInbox> {
  private registered = false;
  /** The task this process runs (binds host:sinkPort), null when idle. */
  currentTask: WorkerId | null = null;
  /** A task acked and being prepared (busy, not yet running). */
  preparing: WorkerId | null = null;
  /** The running task's worker process. */
  workerRef: ActorRef<ConsumerInbox> | null = null;
  /** When this process last sent a heartbeat (-1: never). */
  heartbeatSentAtUs = -1;
  private consecutiveFailures = 0;
  private readonly rc: ActorRef<TeToRc>;

  constructor(
    private readonly ctx: ActorContext<TeInbox>,
    private readonly env: MantisEnv,
    private readonly spec: ExecutorSpec,
  ) {
    this.rc = ctx.sim.ref<TeToRc>('control-plane', RC_ACTOR);
  }

  /** Read-only, for `check` steps and `run --json` state: what the process runs and believes. */
  get processView(): {
    readonly teId: string;
    readonly registered: boolean;
    readonly currentTask: WorkerId | null;
    readonly preparing: WorkerId | null;
    readonly workerRef: ActorRef | null;
  } {
    return {
      teId: this.spec.teId,
      registered: this.registered,
      currentTask: this.currentTask,
      preparing: this.preparing,
      workerRef: this.workerRef,
    };
  }

  onStart(): void {
    if (this.ctx.incarnation > 0) this.env.truth.counters.teRestarted(this.spec.teId);
    this.ctx.note('span-begin', `${this.spec.teId} process up`, {
      track: 'task executor',
      span: `${this.spec.teId} #${this.ctx.incarnation}`,
    });
    if (this.ctx.incarnation > 0)
      this.note(
        'te',
        `${this.spec.teId} restarted (${this.ctx.durable.has(ALREADY_REGISTERED) ? 'already registered: heartbeats only, no registration' : 'will register'})`,
      );
    this.ctx.every(msToUs(this.env.config.teHeartbeatInterval), { type: 'HeartbeatLoop' }, 0);
  }

  onMessage(message: TeInbox, _envelope: Readonly<Envelope>): void {
    switch (message.type) {
      case 'HeartbeatLoop':
        return this.runIteration();
      case 'RegistrationAck':
        this.registered = true;
        this.ctx.durable.set(ALREADY_REGISTERED, true);
        return this.sendHeartbeat();
      case 'HeartbeatAck':
        this.consecutiveFailures = 0;
        return;
      case 'HeartbeatFailure':
        if (message.reason === 'TaskExecutorTaskCancelledException' && message.worker !== null)
          return this.cancelTask(message.worker);
        if (++this.consecutiveFailures >= this.env.config.tolerableHeartbeatFailures) {
          this.registered = false;
          this.consecutiveFailures = 0;
        }
        return;
      case 'SubmitTask':
        return this.submitTask(message.requestId, message.worker);
      case 'CancelTask':
        return this.cancelTask(message.worker);
      case 'PrepareDone':
        if (!sameWorker(this.preparing, message.worker)) return;
        this.preparing = null;
        return this.setCurrentTask(message.worker);
      default:
        return assertNever(message);
    }
  }

  /** Graceful shutdown: TaskExecutorDisconnection, then the process stops (the caller crashes the node). */
  shutDown(): void {
    this.toRc({ type: 'TaskExecutorDisconnection', teId: this.spec.teId });
  }

  /** ResourceManagerGatewayCxn.runIteration: register (once, ever) then heartbeat. */
  private runIteration(): void {
    if (!this.registered && this.ctx.durable.get(ALREADY_REGISTERED) !== true) {
      this.toRc({
        type: 'TaskExecutorRegistration',
        registration: { teId: this.spec.teId, address: this.ctx.node, hostname: this.ctx.node },
      });
      return; // the heartbeat follows the registration ack (the ask blocks the iteration)
    }
    this.sendHeartbeat();
  }

  private sendHeartbeat(): void {
    this.heartbeatSentAtUs = this.ctx.now();
    this.toRc({ type: 'TaskExecutorHeartbeat', teId: this.spec.teId, report: this.report() });
  }

  private report(): TaskExecutorReport {
    return this.currentTask === null ? AVAILABLE : { kind: 'Occupied', worker: this.currentTask };
  }

  /**
   * submitTask (:367-382): idle → ack and prepare; same worker → ack; else TaskAlreadyRunning.
   * Inferred: a task being prepared (acked, not yet setCurrentTask) counts as busy; the spec only
   * names `currentTask`. Heartbeats still report Available while preparing (currentTask == null).
   */
  private submitTask(requestId: number, worker: WorkerId): void {
    const busyWith = this.currentTask ?? this.preparing;
    if (busyWith !== null && !sameWorker(busyWith, worker)) {
      this.toRc({
        type: 'SubmitTaskReply',
        requestId,
        teId: this.spec.teId,
        worker,
        error: 'TaskAlreadyRunningException',
      });
      return;
    }
    this.toRc({ type: 'SubmitTaskReply', requestId, teId: this.spec.teId, worker, error: null });
    if (busyWith !== null) return;
    this.preparing = worker;
    this.ctx.after(msToUs(this.env.config.workerStartLatency), { type: 'PrepareDone', worker });
  }

  /** setCurrentTask: the worker runs and binds host:sinkPort; StatusChange is fire-and-forget. */
  private setCurrentTask(worker: WorkerId | null): void {
    assert(worker === null || this.currentTask === null, 'a TE process runs one task at a time', {
      te: this.spec.teId,
    });
    this.stopWorkerProcess();
    this.currentTask = worker;
    this.env.truth.dataPlane.bind(this.ctx.node, worker, this.ctx.ref);
    if (worker !== null) {
      this.note(
        'te',
        `${this.spec.teId} runs ${workerLabel(worker)} (binds ${this.ctx.node}:sinkPort)`,
        worker,
      );
      this.ctx.note('span-begin', `${workerLabel(worker)} runs on ${this.spec.teId}`, {
        track: `worker ${this.ctx.node}`,
        span: workerLabel(worker),
        job: worker.jobId,
      });
      const jcm = this.ctx.sim.ref<RoutedEvent>('control-plane', JCM_ACTOR);
      const job = this.ctx.sim.ref<SubscribeSchedulingInfo>('control-plane', jobActorName(worker.jobId));
      this.workerRef = this.ctx.spawn(
        `worker-${worker.jobId}-${worker.number}`,
        (wctx) => new WorkerProcess(wctx, this.env, worker, jcm, job),
      );
    }
    this.toRc({ type: 'TaskExecutorStatusChange', teId: this.spec.teId, report: this.report() });
  }

  /** cancelTask (:497-508): stops w if it is current; else TaskNotFound (nothing to do). */
  private cancelTask(worker: WorkerId): void {
    if (!sameWorker(this.currentTask, worker)) return;
    this.note('te', `${this.spec.teId} cancels ${workerLabel(worker)}`, worker);
    this.setCurrentTask(null);
  }

  private stopWorkerProcess(): void {
    if (this.workerRef === null) return;
    const ref = this.workerRef;
    this.workerRef = null;
    this.env.truth.dataPlane.consumerGone(ref);
    this.ctx.sim.stopActor(ref);
    this.ctx.note('span-end', 'worker stopped', { track: `worker ${this.ctx.node}` });
  }

  private toRc(message: TeToRc): void {
    this.ctx.send(this.rc, message, this.env.faults.outboundExtraDelayUs(this.ctx.node, this.ctx.now()));
  }

  private note(category: string, text: string, worker?: WorkerId): void {
    const entities: Record<string, string> = { te: this.spec.teId };
    if (worker !== undefined) {
      entities.worker = workerLabel(worker);
      entities.job = worker.jobId;
    }
    this.ctx.note(category, text, entities);
  }
}
