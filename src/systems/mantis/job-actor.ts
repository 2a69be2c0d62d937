import type { Actor, ActorContext, ActorRef, Rng } from '../../engine/index.js';
import { assert, assertNever, msToUs } from '../../engine/index.js';
import type { JobSpec } from './cluster.js';
import { missedHeartbeatToleranceMs, RESUBMIT_WINDOW_MS } from './config.js';
import type { WorkerId } from './ids.js';
import { workerLabel } from './ids.js';
import type { JobMetadata, WorkerRecord, WorkerState } from './job-metadata.js';
import { isLegalTransition, isRunningState, isTerminal, slotOf } from './job-metadata.js';
import type {
  JobSchedulingInfo,
  JobToRc,
  RoutedEvent,
  SubscribeSchedulingInfo,
  TaskExecutorReconnected,
  WorkerHost,
} from './messages.js';
import { hopDelayUs, RC_ACTOR } from './resource-cluster-actor.js';
import type { MantisEnv } from './env.js';

type JobTimer =
  | { readonly type: 'CheckHeartBeat' }
  | { readonly type: 'SendWorkerAssignementsIfChanged' }
  | { readonly type: 'QueueWorker'; readonly worker: WorkerId };

export type JobInbox = RoutedEvent | SubscribeSchedulingInfo | JobTimer;

export function newJobMetadata(spec: JobSpec): JobMetadata {
  return {
    spec,
    state: 'Accepted',
    nextNumber: 1,
    pushSeq: 0,
    active: new Map(),
    byNumber: new Map(),
    all: new Map(),
    recentErrors: new Map(),
    resubmits: new Map(),
    subscribers: new Map(),
  };
}

/**
 * JobActor + its WorkerManager (JOB/JobActor.java): worker records and their legal transitions,
 * the missed-heartbeat check, resubmission through WorkerResubmitRateLimiter under the job-wide
 * cap, and scheduling info (only Started workers; periodic refresh, forced pushes).
 */
export class JobActor implements Actor<JobInbox> {
  private changed = false;
  private lastTransitionOrPushUs = 0;
  /** The last JobSchedulingInfo this actor pushed (what job J advertises; the view and check steps read it). */
  lastPushed: JobSchedulingInfo | null = null;
  private readonly rc: ActorRef<JobToRc>;
  private readonly workerTimeoutMs: number;
  /** Made on the first re-initialisation only, so other runs draw nothing from it. */
  private schedulerHopRng: Rng | null = null;

  constructor(
    private readonly ctx: ActorContext<JobInbox>,
    private readonly env: MantisEnv,
    readonly meta: JobMetadata,
  ) {
    this.rc = ctx.sim.ref<JobToRc>(ctx.node, RC_ACTOR);
    this.workerTimeoutMs = meta.spec.workerTimeoutMs ?? env.config.workerTimeout;
  }

  onStart(): void {
    if (this.meta.state === 'Failed') return;
    this.ctx.every(msToUs(this.workerTimeoutMs), { type: 'CheckHeartBeat' });
    this.ctx.every(msToUs(this.env.config.refreshInterval), { type: 'SendWorkerAssignementsIfChanged' });
    if (this.meta.all.size === 0) this.submit();
    else this.initializeRunningWorkers();
  }

  onMessage(message: JobInbox): void {
    this.handle(message);
    // Δ fix-1a-correct: the RC holds the TE out of the pool until the job has applied (or, being
    // terminal, dropped) this WorkerTerminate [inferred: the spec asks for an ack, not its form].
    if (message.type === 'WorkerTerminate' && message.ackFor !== undefined) {
      this.ctx.send(this.rc, { type: 'WorkerTerminateAck', teId: message.ackFor, worker: message.worker });
    }
  }

  private handle(message: JobInbox): void {
    if (this.meta.state === 'Failed') return; // terminating/terminal jobs drop events (JobActor.java:496,613)
    switch (message.type) {
      case 'CheckHeartBeat':
        return this.checkHeartBeats();
      case 'SendWorkerAssignementsIfChanged':
        return this.refreshAndSendWorkerAssignments();
      case 'QueueWorker':
        return this.sendScheduleRequest(message.worker);
      case 'SubscribeSchedulingInfo':
        return this.subscribe(message);
      case 'TaskExecutorReconnected':
        return this.onTaskExecutorReconnected(message);
      case 'TaskExecutorReconnectedEvent':
        return this.onTaskExecutorReconnectedEvent(message);
      case 'WorkerLaunched':
      case 'WorkerHeartbeat':
      case 'WorkerTerminate':
      case 'WorkerLaunchFailed':
        return this.processEvent(message);
      default:
        return assertNever(message);
    }
  }

  // ================================================================ submit / re-initialise

  private submit(): void {
    this.note('job', `job ${this.meta.spec.id} submitted: stages ${this.meta.spec.stages.join(', ')}`);
    this.meta.spec.stages.forEach((count, s) => {
      for (let index = 0; index < count; index++) {
        const record = this.createWorker(s + 1, index, 1);
        this.queue(record.id, 0);
      }
    });
  }

  /**
   * initializeRunningWorkers (:1726-1799; JobActor.java@be1148fe:1493-1529): per running worker a
   * fake heartbeat at now and, with the legacy scheduler, scheduler.initializeRunningWorker(w,
   * slave, slaveID) (mantis errata 1); then a forced push. Under `head` the reservation
   * scheduler's initializeRunningWorker is a no-op (:108-117), so the new leader never has
   * Running(w) (edge case 7).
   */
  private initializeRunningWorkers(): void {
    for (const record of this.meta.active.values()) {
      if (isRunningState(record.state)) {
        record.lastHeartbeatAtUs = this.ctx.now();
        if (record.state !== 'Started') this.transition(record, 'Started');
        if (!this.env.variant.reservationScheduler && record.slaveID !== null)
          this.initializeRunningWorker(record.id, record.slaveID);
      } else if (record.state === 'Accepted') {
        this.queue(record.id, 0); // inferred: the new leader's scheduler has no queue yet
      }
    }
    this.note(
      'job',
      `job ${this.meta.spec.id} re-initialised after failover: fake heartbeats for running workers${this.env.variant.reservationScheduler ? '' : ", each worker's TE re-initialised in the RC"}`,
    );
    this.markStageAssignmentsChanged(true);
  }

  /**
   * ResourceClusterAwareScheduler.initializeRunningWorker (:65-69) tells the scheduler actor,
   * which asks the RC (ResourceClusterAwareSchedulerActor:203-207): two hops, each with a seeded
   * delay up to `routerHopDelay`, so the order against a TE's heartbeat is the network's and the seed's.
   */
  private initializeRunningWorker(worker: WorkerId, teId: string): void {
    this.schedulerHopRng ??= this.ctx.random('scheduler-hop');
    const maxMs = this.env.config.routerHopDelay;
    const delayUs = hopDelayUs(this.schedulerHopRng, maxMs) + hopDelayUs(this.schedulerHopRng, maxMs);
    this.ctx.send(this.rc, { type: 'InitializeTaskExecutorRequest', teId, worker }, delayUs);
  }

  private createWorker(stage: number, index: number, attempt: number): WorkerRecord {
    const id: WorkerId = {
      jobId: this.meta.spec.id,
      cluster: this.meta.spec.cluster,
      stage,
      index,
      number: this.meta.nextNumber++,
      attempt,
    };
    const record: WorkerRecord = {
      id,
      state: 'Accepted',
      slave: null,
      slaveID: null,
      acceptedAtUs: this.ctx.now(),
      launchedAtUs: null,
      lastHeartbeatAtUs: null,
      changedAtUs: this.ctx.now(),
    };
    const previous = this.meta.active.get(slotOf(stage, index));
    assert(previous === undefined || isTerminal(previous.state), 'one non-terminal worker per slot', {
      job: this.meta.spec.id,
      slot: slotOf(stage, index),
    });
    this.meta.active.set(slotOf(stage, index), record);
    this.meta.byNumber.set(id.number, record);
    this.meta.all.set(id.number, record);
    return record;
  }

  private queue(worker: WorkerId, delayMs: number): void {
    if (delayMs <= 0) return this.sendScheduleRequest(worker);
    this.ctx.after(msToUs(delayMs), { type: 'QueueWorker', worker });
  }

  private sendScheduleRequest(worker: WorkerId): void {
    const record = this.meta.byNumber.get(worker.number);
    if (record === undefined || record.state !== 'Accepted') return;
    const pinned =
      worker.attempt === 1 ? (this.meta.spec.placement?.[worker.stage - 1]?.[worker.index] ?? null) : null;
    const request: JobToRc = {
      type: 'ScheduleRequestEvent',
      worker,
      readyAtUs: this.ctx.now(),
      pinnedTe: pinned,
    };
    this.ctx.send(this.rc, request);
  }

  // ================================================================ worker events

  /** WorkerManager.processEvent (:2644-2740). */
  private processEvent(
    event: Exclude<RoutedEvent, TaskExecutorReconnected | { type: 'TaskExecutorReconnectedEvent' }>,
  ): void {
    const known = this.meta.byNumber.get(event.worker.number);
    if (known === undefined) {
      // terminateUnknownWorkerIfNonTerminal: terminal events are ignored.
      if (event.type === 'WorkerTerminate') return;
      this.note(
        'job',
        `${event.type} from unknown worker ${workerLabel(event.worker)}: unschedule and terminate it`,
        event.worker,
      );
      return this.unscheduleAndTerminateWorker(event.worker);
    }
    // Applied by INDEX (getWorkerByIndex): only the number check above protects a newer worker.
    const record = this.meta.active.get(slotOf(event.worker.stage, event.worker.index)) ?? known;
    switch (event.type) {
      case 'WorkerLaunched':
        if (this.transition(record, 'Launched')) {
          record.slave = event.hostname;
          record.slaveID = event.teId;
          record.launchedAtUs = this.ctx.now();
          this.note('job', `WorkerLaunched: ${workerLabel(record.id)} on ${event.teId}`, record.id);
        }
        break;
      case 'WorkerHeartbeat':
        record.lastHeartbeatAtUs = this.ctx.now();
        if (record.state !== 'Started' && this.transition(record, 'Started'))
          this.note('job', `${workerLabel(record.id)} Started on ${record.slaveID ?? '?'}`, record.id);
        break;
      case 'WorkerTerminate':
        if (this.transition(record, 'Failed'))
          this.note('job', `WorkerTerminate: ${workerLabel(record.id)} Failed (${event.reason})`, record.id);
        break;
      case 'WorkerLaunchFailed':
        if (this.transition(record, 'Failed'))
          this.note('job', `WorkerLaunchFailed: ${workerLabel(record.id)} Failed`, record.id);
        break;
      default:
        return assertNever(event);
    }
    if (record.state === 'Failed') return this.resubmitWorker(record);
    if (event.type !== 'WorkerHeartbeat') {
      const immediate =
        this.env.variant.immediatePushOnTerminate &&
        event.type === 'WorkerTerminate' &&
        this.meta.state === 'Launched';
      this.markStageAssignmentsChanged(immediate);
    }
    this.updateJobState();
  }

  /**
   * Δ fix-1a (eb0e8ad1), as first written. Defect 5: a previous worker the job no longer knows
   * (its number was replaced) is "an unknown worker" sending a non-terminal event, so the job
   * calls unscheduleAndTerminateWorker(prev) (harmless: TaskNotFound). Inferred: the spec places
   * this before the special case; it does not say whether the refresh still follows, we assume not.
   * Defect 1: otherwise the special case refreshes from the JobActor's own table, where the worker
   * is still Started, so the push is identical and the consumers keep the endpoint.
   */
  private onTaskExecutorReconnectedEvent(event: { readonly worker: WorkerId; readonly teId: string }): void {
    if (!this.meta.byNumber.has(event.worker.number)) {
      this.note(
        'fix-1a',
        `TaskExecutorReconnectedEvent(${workerLabel(event.worker)}, ${event.teId}) from an unknown worker: unschedule and terminate it`,
        event.worker,
      );
      return this.unscheduleAndTerminateWorker(event.worker);
    }
    this.note(
      'fix-1a',
      `TaskExecutorReconnectedEvent(${workerLabel(event.worker)}, ${event.teId}): refresh and push (same table, same hosts)`,
      event.worker,
    );
    this.markStageAssignmentsChanged(true);
  }

  /** Δ fix-1b / fix-1c / broadcast: fail and resubmit the workers this job has on `teId`. */
  private onTaskExecutorReconnected(event: TaskExecutorReconnected): void {
    const targets: WorkerRecord[] = [];
    for (const record of this.meta.active.values()) {
      if (!isRunningState(record.state)) continue;
      if (record.slaveID !== event.teId && record.slave !== event.hostname) continue;
      if (event.workers !== null && !event.workers.some((w) => w.number === record.id.number)) continue;
      if (
        event.reported !== null &&
        event.reported.jobId === record.id.jobId &&
        event.reported.number === record.id.number
      )
        continue;
      targets.push(record);
    }
    this.note(
      'job',
      `TaskExecutorReconnected(${event.teId}): ${targets.length === 0 ? 'no worker of this job there' : `fail ${targets.map((r) => workerLabel(r.id)).join(', ')}`}`,
    );
    for (const record of targets) {
      if (this.transition(record, 'Failed')) this.resubmitWorker(record);
    }
  }

  private transition(record: WorkerRecord, to: WorkerState): boolean {
    if (!isLegalTransition(record.state, to)) {
      // InvalidWorkerStateChangeException, caught and logged by processWorkerEvent.
      this.note(
        'job',
        `InvalidWorkerStateChangeException: ${workerLabel(record.id)} ${record.state} → ${to} ignored`,
        record.id,
      );
      return false;
    }
    record.state = to;
    record.changedAtUs = this.ctx.now();
    return true;
  }

  private updateJobState(): void {
    if (this.meta.state !== 'Accepted') return;
    for (const record of this.meta.active.values()) if (record.state !== 'Started') return;
    this.meta.state = 'Launched'; // inferred: the job is Launched once every worker has started
  }

  // ================================================================ resubmission

  /** resubmitWorker (:2825-2891). */
  private resubmitWorker(old: WorkerRecord): void {
    const now = this.ctx.now();
    for (const [number, at] of this.meta.recentErrors)
      if (now - at > msToUs(RESUBMIT_WINDOW_MS)) this.meta.recentErrors.delete(number);
    if (this.meta.recentErrors.size >= this.env.config.maxResubmits)
      return this.onTooManyWorkerResubmits(old);
    this.meta.recentErrors.set(old.id.number, now);
    // replaceWorkerMetaData: the old number leaves workerNumberToStageMap, archived as Failed.
    this.meta.byNumber.delete(old.id.number);
    for (const [ref, w] of this.meta.subscribers)
      if (w.number === old.id.number) this.meta.subscribers.delete(ref);
    const replacement = this.createWorker(old.id.stage, old.id.index, old.id.attempt + 1);
    this.unscheduleAndTerminateWorker(old.id);
    const delayMs = this.resubmitDelayMs(old.id);
    this.note(
      'resubmit',
      `resubmit ${workerLabel(old.id)} as ${workerLabel(replacement.id)}${delayMs > 0 ? ` in ${delayMs / 1000}s` : ''}`,
      old.id,
    );
    this.markStageAssignmentsChanged(true);
    this.queue(replacement.id, delayMs);
  }

  /**
   * WorkerResubmitRateLimiter: `resubmitIntervals` after a first 0, per slot (0, 5, 10, 20, 20 s at
   * BUG and FIX784; 0, 5, 10, 30, 60, 120, 600 s at HEAD); forgotten after resubmitExpiry.
   */
  private resubmitDelayMs(w: WorkerId): number {
    const slot = slotOf(w.stage, w.index);
    const now = this.ctx.now();
    const entry = this.meta.resubmits.get(slot);
    const count =
      entry === undefined || now - entry.lastUs > msToUs(this.env.config.resubmitExpiry) ? 0 : entry.count;
    this.meta.resubmits.set(slot, { count: count + 1, lastUs: now });
    const delays = this.env.config.resubmitDelaysMs;
    return delays[Math.min(count, delays.length - 1)] as number;
  }

  private onTooManyWorkerResubmits(old: WorkerRecord): void {
    this.note(
      'job',
      `job ${this.meta.spec.id} killed: ${this.meta.recentErrors.size} distinct worker failures within an hour (maxResubmits ${this.env.config.maxResubmits})`,
      old.id,
    );
    this.meta.state = 'Failed';
    for (const record of this.meta.active.values()) {
      if (isTerminal(record.state)) continue;
      record.state = 'Failed';
      record.changedAtUs = this.ctx.now();
      this.unscheduleAndTerminateWorker(record.id);
    }
  }

  /** Reservation-era TerminateWorkerRequest / legacy CancelRequestEvent: to the RC. */
  private unscheduleAndTerminateWorker(w: WorkerId): void {
    this.env.truth.terminateSent(w);
    this.ctx.send(this.rc, { type: 'TerminateWorkerRequest', worker: w });
  }

  // ================================================================ missed heartbeats

  /** checkHeartBeats (:2471-2572): detection ∈ (tol, tol + T] after the last heartbeat. */
  private checkHeartBeats(): void {
    const now = this.ctx.now();
    const tolUs = msToUs(missedHeartbeatToleranceMs(this.workerTimeoutMs));
    for (const record of [...this.meta.active.values()]) {
      if (!isRunningState(record.state)) continue; // Accepted: the scheduler handles allocation retries
      const last = record.lastHeartbeatAtUs;
      const stale =
        last === null
          ? record.launchedAtUs !== null && now - record.launchedAtUs > tolUs
          : now - last > tolUs;
      if (!stale) continue;
      this.note(
        'detection',
        `missed heartbeats: ${workerLabel(record.id)} last heard ${last === null ? 'never' : `${Math.round((now - last) / 1_000_000)}s ago`} (> ${tolUs / 1_000_000}s); fail and resubmit`,
        record.id,
      );
      if (this.transition(record, 'Failed')) this.resubmitWorker(record);
    }
  }

  // ================================================================ scheduling info

  private subscribe(message: SubscribeSchedulingInfo): void {
    this.meta.subscribers.set(message.subscriber, message.worker);
    if (this.lastPushed !== null) this.ctx.send(message.subscriber, this.lastPushed); // replay(1)
  }

  /** markStageAssignmentsChanged(force) (:1834-1842). */
  private markStageAssignmentsChanged(force: boolean): void {
    this.changed = true;
    this.lastTransitionOrPushUs = this.ctx.now();
    if (force) this.refreshStageAssignmentsAndPush();
  }

  /** SendWorkerAssignementsIfChanged with the smart-refresh wait while workers are pending. */
  private refreshAndSendWorkerAssignments(): void {
    if (!this.changed) return;
    if (
      this.hasPendingWorkers() &&
      this.ctx.now() - this.lastTransitionOrPushUs < msToUs(this.env.config.refreshMaxWait)
    )
      return;
    this.refreshStageAssignmentsAndPush();
  }

  /** refreshStageAssignmentsAndPush (:1858-1907): hosts only from Started workers. */
  private refreshStageAssignmentsAndPush(): void {
    const stages = new Map<number, WorkerHost[]>();
    this.meta.spec.stages.forEach((_, s) => stages.set(s + 1, []));
    for (const record of this.meta.active.values()) {
      if (record.state !== 'Started' || record.slave === null) continue;
      stages
        .get(record.id.stage)
        ?.push({ host: record.slave, teId: record.slaveID ?? record.slave, worker: record.id });
    }
    const info: JobSchedulingInfo = {
      type: 'JobSchedulingInfo',
      jobId: this.meta.spec.id,
      seq: ++this.meta.pushSeq,
      stages,
    };
    this.lastPushed = info;
    this.changed = this.hasPendingWorkers(); // stays set while any worker is pending
    this.lastTransitionOrPushUs = this.ctx.now();
    const summary = [...stages]
      .map(([s, hosts]) => `stage ${s}: [${hosts.map((h) => h.host).join(', ')}]`)
      .join('; ');
    this.ctx.note('push', `JobSchedulingInfo of ${this.meta.spec.id} #${info.seq}: ${summary}`, {
      job: this.meta.spec.id,
    });
    for (const ref of this.meta.subscribers.keys()) this.ctx.send(ref as ActorRef, info);
  }

  private hasPendingWorkers(): boolean {
    for (const record of this.meta.active.values())
      if (!isTerminal(record.state) && record.state !== 'Started') return true;
    return false;
  }

  private note(category: string, text: string, worker?: WorkerId): void {
    const entities: Record<string, string> = { job: this.meta.spec.id };
    if (worker !== undefined) entities.worker = workerLabel(worker);
    this.ctx.note(category, text, entities);
  }
}
