import type { ActorRef, Simulation } from '../../engine/index.js';
import type { ExecutorSpec, MantisCluster } from './cluster.js';
import type { MantisConfig } from './config.js';
import { DataPlane } from './data-plane.js';
import type { WorkerId } from './ids.js';
import { workerKey, slotKey } from './ids.js';
import type { JobMetadata, WorkerRecord } from './job-metadata.js';
import { isTerminal } from './job-metadata.js';
import type { WorkerHost } from './messages.js';
import type { MantisVariant } from './variant.js';

/** What the RC believes about one TE, as far as the invariants care. */
export interface RcSnapshot {
  readonly held: WorkerId | null;
  readonly inPool: boolean;
  readonly cancelled: WorkerId | null;
}

const NO_SNAPSHOT: RcSnapshot = { held: null, inPool: false, cancelled: null };

/** A Started worker that died with its TE, for crash-detected (L2). */
export interface CrashRecord {
  readonly worker: WorkerId;
  readonly node: string;
  readonly crashUs: number;
  readonly lastHeartbeatUs: number;
  firstTeHeartbeatAfterRestartUs: number | null;
  failedAtUs: number | null;
}

/** An advertised endpoint whose TE runs another job's worker (S1w), or nothing (dead). */
export interface Advertisement {
  readonly host: string;
  readonly jobId: string;
  readonly stage: number;
  readonly sinceUs: number;
  readonly task: WorkerId | null;
}

/**
 * The model's shared world: ground truth (what each TE process runs, the data plane), the
 * control plane's beliefs as far as the invariants need them, and the indexes that keep every
 * safety check O(1) per event. Actors call the hooks; nothing here sends protocol messages.
 */
export class MantisWorld {
  readonly executors: readonly ExecutorSpec[];
  readonly executorByNode = new Map<string, ExecutorSpec>();
  readonly nodesByTeId = new Map<string, string[]>();
  readonly dataPlane: DataPlane;
  /** Ground truth: the current task of each TE process (null when idle or down). */
  private readonly currentTask = new Map<string, WorkerId | null>();
  private readonly busySinceOrIdleUs = new Map<string, { busy: boolean; sinceUs: number }>();
  /** Job store contents (the durable map's jobs), by id. */
  readonly jobs = new Map<string, JobMetadata>();
  readonly killedJobs = new Map<string, { atUs: number; failures: number }>();
  /** Live consumer workers (stage ≥ 2) and their actor refs. */
  readonly consumers = new Map<ActorRef, { worker: WorkerId; node: string }>();
  /** Extra delay on a TE's outbound messages (the `delay` action). */
  readonly outboundDelay = new Map<string, { untilUs: number; byUs: number }>();

  // ---- S2 / S4 indexes
  private readonly rcSnapshots = new Map<string, RcSnapshot>();
  private readonly rcHolders = new Map<string, { worker: WorkerId; tes: Set<string> }>();
  /** Worker key → since when two RC states hold it (S2 b). */
  readonly rcDoubleHeld = new Map<string, number>();
  /** TE id → since when it is in the pool while its process runs a task (S2 c). */
  readonly busyInPool = new Map<string, number>();
  /** S2 d: the RC tried to assign a TE it believes Running (cleared on that TE's next RC turn). */
  assignedWhileRunning: {
    readonly teId: string;
    readonly worker: WorkerId;
    readonly running: WorkerId;
    readonly atUs: number;
  } | null = null;
  private readonly rcCancelled = new Set<string>();
  private readonly terminateInFlight = new Map<string, number>();
  private readonly consistencyDirty = new Map<string, WorkerId>();
  readonly consistencyBroken = new Map<string, { worker: WorkerId; teId: string; sinceUs: number }>();
  // ---- S3 index
  private readonly slotCopies = new Map<string, Set<string>>();
  /** Slot key → the worker whose start made it two copies, and when (S3). */
  readonly slotsWithCopies = new Map<string, { readonly worker: WorkerId; readonly sinceUs: number }>();
  // ---- S1w index
  private readonly advertisedByHost = new Map<string, Map<string, Set<number>>>();
  private readonly advertisedByJob = new Map<string, Map<number, Set<string>>>();
  readonly foreignAdvertisements = new Map<string, Advertisement>();
  private readonly deadAdvertisements = new Set<string>();
  private deadEndpointUs = 0;
  private deadCountSinceUs = 0;
  // ---- liveness records
  readonly crashes: CrashRecord[] = [];
  private readonly restartAtUs = new Map<string, number>();
  readonly recyclingDelaysMs: number[] = [];
  readonly lastPushUs = new Map<string, number>();
  // ---- metrics
  teReconnections = 0;
  /** TEs restarted and not yet heard by the RC: a new leader must not count them a second time. */
  private readonly restartedUnheard = new Set<string>();
  readonly notifications = new Map<string, number>();
  /** The `jcm-initializing` action: the JobClustersManager drops WorkerEvents until then. */
  jcmInitializingUntilUs = 0;
  /** The control plane's durable store (job store, TE registrations): set when its node starts. */
  controlPlaneDurable: Map<string, unknown> = new Map();

  constructor(
    readonly sim: Simulation,
    readonly cluster: MantisCluster,
    readonly config: MantisConfig,
    readonly variant: MantisVariant,
  ) {
    this.executors = cluster.executors;
    for (const e of cluster.executors) {
      this.executorByNode.set(e.node, e);
      const nodes = this.nodesByTeId.get(e.teId) ?? [];
      nodes.push(e.node);
      this.nodesByTeId.set(e.teId, nodes);
      this.currentTask.set(e.node, null);
      this.busySinceOrIdleUs.set(e.node, { busy: false, sinceUs: 0 });
    }
    this.dataPlane = new DataPlane(sim, variant.dataPlaneNameCheck, (host) => this.taskOn(host));
  }

  now(): number {
    return this.sim.now();
  }

  // ================================================================ ground truth hooks (TE side)

  taskOn(node: string): WorkerId | null {
    return this.currentTask.get(node) ?? null;
  }

  /** TE process `node` now runs `task` (or nothing). Updates S2, S3, S1w indexes. */
  setCurrentTask(node: string, task: WorkerId | null, teRef: ActorRef): void {
    const before = this.currentTask.get(node) ?? null;
    if (before === task) return;
    if (before !== null) {
      this.dataPlane.hostUnbound(node, teRef);
      this.removeCopy(before, node);
    }
    this.currentTask.set(node, task);
    if (task !== null) this.addCopy(task, node);
    this.setBusy(node, task !== null);
    const teId = this.executorByNode.get(node)?.teId;
    if (teId !== undefined) this.recomputeBusyInPool(teId);
    this.recomputeAdvertisedHost(node);
  }

  /** A task is being prepared (between submit ack and setCurrentTask): not idle, not bound. */
  setBusy(node: string, busy: boolean): void {
    const entry = this.busySinceOrIdleUs.get(node);
    if (entry === undefined || entry.busy === busy) return;
    entry.busy = busy;
    entry.sinceUs = this.now();
  }

  idleSinceUs(node: string): number | null {
    const entry = this.busySinceOrIdleUs.get(node);
    return entry === undefined || entry.busy ? null : entry.sinceUs;
  }

  /** The TE process on `node` is about to die (crash, restart, graceful shutdown). */
  processGone(node: string, teRef: ActorRef): void {
    const task = this.taskOn(node);
    if (task !== null) {
      const record = this.jobs.get(task.jobId)?.all.get(task.number);
      if (record !== undefined && record.state === 'Started') {
        this.crashes.push({
          worker: task,
          node,
          crashUs: this.now(),
          lastHeartbeatUs: record.lastHeartbeatAtUs ?? record.launchedAtUs ?? this.now(),
          firstTeHeartbeatAfterRestartUs: null,
          failedAtUs: null,
        });
      }
    }
    for (const [ref, consumer] of [...this.consumers]) {
      if (consumer.node === node) this.consumerGone(ref);
    }
    this.setCurrentTask(node, null, teRef);
  }

  /** A TE process started; incarnation > 0 is a restart (a reconnection to come). */
  teStarted(node: string, incarnation: number): void {
    this.setBusy(node, false);
    const entry = this.busySinceOrIdleUs.get(node);
    if (entry !== undefined) entry.sinceUs = this.now();
    if (incarnation === 0) return;
    this.teReconnections++;
    const teId = this.executorByNode.get(node)?.teId;
    if (teId === undefined) return;
    this.restartAtUs.set(teId, this.now());
    this.restartedUnheard.add(teId);
  }

  /**
   * The RC handles a message of `teId`; `firstForNewLeader` when a leader that took over sees a TE
   * the store knows for the first time (a failover "reconnection", counted unless it is the
   * restart already counted by teStarted).
   */
  rcHeardFrom(teId: string, firstForNewLeader: boolean): void {
    if (firstForNewLeader && !this.restartedUnheard.has(teId)) this.teReconnections++;
    this.restartedUnheard.delete(teId);
  }

  teHeartbeatSent(node: string): void {
    for (const crash of this.crashes) {
      if (crash.node === node && crash.firstTeHeartbeatAfterRestartUs === null && crash.crashUs < this.now())
        crash.firstTeHeartbeatAfterRestartUs = this.now();
    }
  }

  consumerStarted(ref: ActorRef, worker: WorkerId, node: string): void {
    this.consumers.set(ref, { worker, node });
  }

  consumerGone(ref: ActorRef): void {
    this.consumers.delete(ref);
    this.dataPlane.consumerGone(ref);
  }

  outboundExtraDelayUs(node: string): number {
    const delay = this.outboundDelay.get(node);
    if (delay === undefined || this.now() >= delay.untilUs) return 0;
    return delay.byUs;
  }

  // ================================================================ control-plane hooks

  /** The RC actor (re)started: its in-memory beliefs are gone. */
  rcReset(): void {
    for (const teId of [...this.rcSnapshots.keys()]) this.syncRc(teId, null, false, null);
    this.rcSnapshots.clear();
  }

  /**
   * After each RC turn that touched `teId`: what it now believes. Called after every heartbeat,
   * so an unchanged belief allocates nothing.
   */
  syncRc(teId: string, held: WorkerId | null, inPool: boolean, cancelled: WorkerId | null): void {
    if (this.assignedWhileRunning?.teId === teId) this.assignedWhileRunning = null;
    const before = this.rcSnapshots.get(teId) ?? NO_SNAPSHOT;
    if (before.held === held && before.inPool === inPool && before.cancelled === cancelled) return;
    if (before.held !== held) {
      if (before.held !== null) this.unhold(before.held, teId);
      if (held !== null) this.hold(held, teId);
    }
    if (before.cancelled !== cancelled) {
      if (before.cancelled !== null) {
        this.rcCancelled.delete(workerKey(before.cancelled));
        this.dirty(before.cancelled);
      }
      if (cancelled !== null) {
        this.rcCancelled.add(workerKey(cancelled));
        this.dirty(cancelled);
      }
    }
    this.rcSnapshots.set(teId, { held, inPool, cancelled });
    if (before.inPool !== inPool) {
      this.recomputeBusyInPool(teId);
      if (inPool) {
        const restartedAt = this.restartAtUs.get(teId);
        if (restartedAt !== undefined) {
          this.recyclingDelaysMs.push(Math.round((this.now() - restartedAt) / 1000));
          this.restartAtUs.delete(teId);
        }
      }
    }
  }

  rcInPool(teId: string): boolean {
    return this.rcSnapshots.get(teId)?.inPool ?? false;
  }

  rcHeld(teId: string): WorkerId | null {
    return this.rcSnapshots.get(teId)?.held ?? null;
  }

  terminateSent(w: WorkerId): void {
    const key = workerKey(w);
    this.terminateInFlight.set(key, (this.terminateInFlight.get(key) ?? 0) + 1);
    this.dirty(w);
  }

  terminateHandled(w: WorkerId): void {
    const key = workerKey(w);
    const n = (this.terminateInFlight.get(key) ?? 0) - 1;
    if (n <= 0) this.terminateInFlight.delete(key);
    else this.terminateInFlight.set(key, n);
    this.dirty(w);
  }

  /** A JobActor changed a worker record (state, placement). */
  workerChanged(record: WorkerRecord): void {
    this.dirty(record.id);
    if (record.state === 'Failed') {
      for (const crash of this.crashes) {
        if (
          crash.failedAtUs === null &&
          crash.worker.jobId === record.id.jobId &&
          crash.worker.number === record.id.number
        )
          crash.failedAtUs = this.now();
      }
    }
  }

  jobKilled(jobId: string, failures: number): void {
    this.killedJobs.set(jobId, { atUs: this.now(), failures });
  }

  countNotification(type: string, n = 1): void {
    this.notifications.set(type, (this.notifications.get(type) ?? 0) + n);
  }

  /** A JobActor pushed JobSchedulingInfo: the advertised endpoints of job J are now `stages`. */
  pushed(jobId: string, stages: ReadonlyMap<number, readonly WorkerHost[]>): void {
    this.lastPushUs.set(jobId, this.now());
    const touched = new Set<string>();
    const old = this.advertisedByJob.get(jobId);
    if (old !== undefined) {
      for (const [stage, hosts] of old) {
        for (const host of hosts) {
          this.advertisedByHost.get(host)?.get(jobId)?.delete(stage);
          touched.add(host);
        }
      }
    }
    const next = new Map<number, Set<string>>();
    for (const [stage, hosts] of stages) {
      const set = new Set(hosts.map((h) => h.host));
      next.set(stage, set);
      for (const host of set) {
        let byJob = this.advertisedByHost.get(host);
        if (byJob === undefined) this.advertisedByHost.set(host, (byJob = new Map()));
        let stagesOfJob = byJob.get(jobId);
        if (stagesOfJob === undefined) byJob.set(jobId, (stagesOfJob = new Set()));
        stagesOfJob.add(stage);
        touched.add(host);
      }
    }
    this.advertisedByJob.set(jobId, next);
    for (const host of touched) this.recomputeAdvertisedHost(host);
  }

  advertised(jobId: string, stage: number): ReadonlySet<string> {
    return this.advertisedByJob.get(jobId)?.get(stage) ?? new Set();
  }

  deadEndpointSeconds(): number {
    return (
      (this.deadEndpointUs + this.deadAdvertisements.size * (this.now() - this.deadCountSinceUs)) / 1_000_000
    );
  }

  /** S4: recompute only the workers touched since the last check. */
  flushConsistency(): void {
    if (this.consistencyDirty.size === 0) return;
    for (const [key, w] of this.consistencyDirty) {
      const holders = this.rcHolders.get(key);
      const record = this.jobs.get(w.jobId)?.all.get(w.number);
      const held = holders !== undefined && holders.tes.size > 0;
      const jobTerminal = record === undefined || isTerminal(record.state);
      const inFlight = this.terminateInFlight.has(key) || this.rcCancelled.has(key);
      if (held && jobTerminal && !inFlight) {
        if (!this.consistencyBroken.has(key))
          this.consistencyBroken.set(key, {
            worker: w,
            teId: [...holders.tes][0] as string,
            sinceUs: this.now(),
          });
      } else this.consistencyBroken.delete(key);
    }
    this.consistencyDirty.clear();
  }

  /** `clusterNames().has(cluster)` without building the set (the router asks per event). */
  hasCluster(cluster: string): boolean {
    for (const meta of this.jobs.values()) if (meta.spec.cluster === cluster) return true;
    return false;
  }

  clusterNames(): ReadonlySet<string> {
    const names = new Set<string>();
    for (const meta of this.jobs.values()) names.add(meta.spec.cluster);
    return names;
  }

  /** Submitted and not killed. */
  isJobActive(jobId: string): boolean {
    const meta = this.jobs.get(jobId);
    return meta !== undefined && meta.state !== 'Failed';
  }

  activeJobsOf(cluster: string): string[] {
    const out: string[] = [];
    for (const meta of this.jobs.values())
      if (meta.spec.cluster === cluster && meta.state !== 'Failed') out.push(meta.spec.id);
    return out;
  }

  // ================================================================ internals

  private dirty(w: WorkerId): void {
    this.consistencyDirty.set(workerKey(w), w);
  }

  private hold(w: WorkerId, teId: string): void {
    const key = workerKey(w);
    let entry = this.rcHolders.get(key);
    if (entry === undefined) this.rcHolders.set(key, (entry = { worker: w, tes: new Set() }));
    entry.tes.add(teId);
    if (entry.tes.size > 1 && !this.rcDoubleHeld.has(key)) this.rcDoubleHeld.set(key, this.now());
    this.dirty(w);
  }

  private unhold(w: WorkerId, teId: string): void {
    const key = workerKey(w);
    const entry = this.rcHolders.get(key);
    if (entry === undefined) return;
    entry.tes.delete(teId);
    if (entry.tes.size <= 1) this.rcDoubleHeld.delete(key);
    if (entry.tes.size === 0) this.rcHolders.delete(key);
    this.dirty(w);
  }

  rcHoldersOf(key: string): { worker: WorkerId; tes: Set<string> } | undefined {
    return this.rcHolders.get(key);
  }

  private recomputeBusyInPool(teId: string): void {
    const inPool = this.rcInPool(teId);
    const busy = (this.nodesByTeId.get(teId) ?? []).some((n) => this.taskOn(n) !== null);
    if (inPool && busy) {
      if (!this.busyInPool.has(teId)) this.busyInPool.set(teId, this.now());
    } else this.busyInPool.delete(teId);
  }

  private addCopy(w: WorkerId, node: string): void {
    const key = slotKey(w);
    let copies = this.slotCopies.get(key);
    if (copies === undefined) this.slotCopies.set(key, (copies = new Set()));
    copies.add(node);
    if (copies.size > 1 && !this.slotsWithCopies.has(key))
      this.slotsWithCopies.set(key, { worker: w, sinceUs: this.now() });
  }

  private removeCopy(w: WorkerId, node: string): void {
    const key = slotKey(w);
    const copies = this.slotCopies.get(key);
    if (copies === undefined) return;
    copies.delete(node);
    if (copies.size <= 1) this.slotsWithCopies.delete(key);
  }

  /** Which nodes run a copy of this slot (for messages). */
  copiesOf(key: string): string[] {
    return [...(this.slotCopies.get(key) ?? [])];
  }

  private recomputeAdvertisedHost(host: string): void {
    const byJob = this.advertisedByHost.get(host);
    const task = this.taskOn(host);
    this.integrateDead();
    for (const [jobId, stages] of byJob ?? []) {
      const key = `${host}|${jobId}`;
      if (stages.size === 0) {
        this.foreignAdvertisements.delete(key);
        this.deadAdvertisements.delete(key);
        continue;
      }
      const stage = [...stages][0] as number;
      if (task === null) {
        this.deadAdvertisements.add(key);
        this.foreignAdvertisements.delete(key);
      } else if (task.jobId !== jobId) {
        this.deadAdvertisements.delete(key);
        const existing = this.foreignAdvertisements.get(key);
        if (
          existing === undefined ||
          existing.task === null ||
          existing.task.number !== task.number ||
          existing.task.jobId !== task.jobId
        ) {
          this.foreignAdvertisements.set(key, { host, jobId, stage, sinceUs: this.now(), task });
        }
      } else {
        this.deadAdvertisements.delete(key);
        this.foreignAdvertisements.delete(key);
      }
    }
  }

  private integrateDead(): void {
    const now = this.now();
    this.deadEndpointUs += this.deadAdvertisements.size * (now - this.deadCountSinceUs);
    this.deadCountSinceUs = now;
  }
}
