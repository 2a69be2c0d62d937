import type { ActorRef, ChangeWatch, Micros, Simulation } from '../../engine/index.js';
import type { ExecutorSpec } from './cluster.js';
import type { MantisConfig } from './config.js';
import type { MantisGroundTruth } from './ground-truth.js';
import type { WorkerId } from './ids.js';
import { slotKey, workerKey } from './ids.js';
import type { JobActor } from './job-actor.js';
import type { JobMetadata } from './job-metadata.js';
import { isTerminal } from './job-metadata.js';
import type { ConsumerInbox, JobSchedulingInfo } from './messages.js';
import type { ResourceClusterActor } from './resource-cluster-actor.js';
import { RC_ACTOR, TE_ACTOR } from './resource-cluster-actor.js';
import { jobActorName } from './router.js';
import type { TaskExecutorActor } from './task-executor.js';
import type { TaskExecutorState } from './task-executor-state.js';
import type { MantisVariant } from './variant.js';
import type { WorkerProcess } from './worker.js';

export const CONTROL_PLANE = 'control-plane';

/** What the RC believes about one TE, as far as the invariants care. */
export interface RcBelief {
  readonly held: WorkerId | null;
  readonly inPool: boolean;
  readonly cancelled: WorkerId | null;
}

const NO_BELIEF: RcBelief = { held: null, inPool: false, cancelled: null };

/** A Started worker that died with its TE process, for crash-detected (L2). */
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

/** What one TE process looked like at the view's last look. */
interface TeSeen {
  instance: TaskExecutorActor | undefined;
  task: WorkerId | null;
  busy: boolean;
  /** Since when it is idle (busy = false) or busy. */
  sinceUs: number;
  workerRef: ActorRef<ConsumerInbox> | null;
}

/**
 * The read-only view Mantis's invariants judge: the actors' own state, found through the
 * simulation — the ResourceClusterActor's TaskExecutorStates and pool, each TE process's current
 * task, each JobActor's worker records (the job store) and last JobSchedulingInfo push, the
 * consumers' endpoints — plus the ground truth no actor holds (the data plane, terminates on the
 * wire). It writes nothing any model reads.
 *
 * The safety checks run after every event, so the view keeps indexes (who holds which worker,
 * which slot has two copies, which host a job advertises) and updates them only for what a change
 * watch says ran: the RC, one TE process, a JobActor. A scenario step (any callback) re-reads all.
 * `refresh` is idempotent: every check calls it first.
 */
export class MantisView {
  readonly executorByNode = new Map<string, ExecutorSpec>();
  readonly nodesByTeId = new Map<string, string[]>();
  private readonly watch: ChangeWatch;
  private truthVersion = -1;
  private rcRef: ActorRef | undefined = undefined;
  /** Refs found so far: TE process by node, JobActor by job id. */
  private readonly teRefs = new Map<string, ActorRef>();
  private readonly jobRefs = new Map<string, ActorRef>();
  /** JobActor ref → its job id (the actor is named `job-<id>`). */
  private readonly jobIdOfRef = new Map<ActorRef, string>();
  /** S2 d's witness, as the RC held it after its last turn. */
  assignedWhileRunning: ResourceClusterActor['assignedWhileRunning'] = null;
  /** Worker keys the RC holds, by job (S4 after a JobActor turn looks at its job's only). */
  private readonly heldByJob = new Map<string, Set<string>>();
  private store: ReadonlyMap<string, JobMetadata> | null = null;
  /** JobActors that ran since the last look (reused between refreshes). */
  private readonly jobsThatRan: string[] = [];

  // ---- what each actor looked like last time
  private rcInstance: ResourceClusterActor | undefined = undefined;
  private readonly beliefs = new Map<string, RcBelief>();
  private readonly tes = new Map<string, TeSeen>();
  private readonly pushes = new Map<string, JobSchedulingInfo>();
  // ---- S2 / S4 indexes
  private readonly rcHolders = new Map<string, { worker: WorkerId; tes: Set<string> }>();
  /** Worker key → since when two RC states hold it (S2 b). */
  readonly rcDoubleHeld = new Map<string, number>();
  /** TE id → since when it is in the pool while its process runs a task (S2 c). */
  readonly busyInPool = new Map<string, number>();
  readonly consistencyBroken = new Map<string, { worker: WorkerId; teId: string; sinceUs: number }>();
  /** Worker key → how many TaskExecutorStates hold it as their cancelledWorkerOnTask. */
  private readonly cancelledOn = new Map<string, number>();
  /** Worker keys whose RC beliefs changed in this refresh (S4 judges only those after an RC turn). */
  private readonly touchedKeys = new Set<string>();
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
  // ---- liveness records and metrics, as observed
  readonly crashes: CrashRecord[] = [];
  readonly killedJobs = new Map<string, { atUs: number; failures: number }>();
  readonly lastPushUs = new Map<string, number>();
  /** Live consumer worker processes, in the order they started. */
  readonly consumers = new Map<ActorRef, { worker: WorkerId; node: string }>();
  private readonly restartAtUs = new Map<string, number>();
  readonly recyclingDelaysMs: number[] = [];

  constructor(
    readonly sim: Simulation,
    readonly executors: readonly ExecutorSpec[],
    readonly config: MantisConfig,
    readonly variant: MantisVariant,
    readonly truth: MantisGroundTruth,
    /** The control plane's job store (durable: it survives a failover). */
    private readonly jobStore: () => ReadonlyMap<string, JobMetadata>,
  ) {
    for (const e of executors) {
      this.executorByNode.set(e.node, e);
      const nodes = this.nodesByTeId.get(e.teId) ?? [];
      nodes.push(e.node);
      this.nodesByTeId.set(e.teId, nodes);
      this.tes.set(e.node, { instance: undefined, task: null, busy: false, sinceUs: 0, workerRef: null });
    }
    const teNodes = new Set(executors.map((e) => e.node));
    this.watch = sim.watch(
      (node, actor) =>
        (node === CONTROL_PLANE && (actor === RC_ACTOR || isJobActorName(actor))) ||
        (actor === TE_ACTOR && teNodes.has(node)),
    );
  }

  // ================================================================ reading the actors

  now(): number {
    return this.sim.now();
  }

  /** The live ResourceClusterActor, if the control plane is up. */
  rc(): ResourceClusterActor | undefined {
    if (this.rcRef === undefined) this.rcRef = this.sim.existingRef(CONTROL_PLANE, RC_ACTOR);
    return this.rcRef === undefined ? undefined : this.sim.instance<ResourceClusterActor>(this.rcRef);
  }

  /** The live TE process on `node`. */
  te(node: string): TaskExecutorActor | undefined {
    return this.live<TaskExecutorActor>(this.teRefs, node, node, TE_ACTOR);
  }

  jobActor(jobId: string): JobActor | undefined {
    return this.live<JobActor>(this.jobRefs, jobId, CONTROL_PLANE, jobActorName(jobId));
  }

  /**
   * An actor's live object; never makes a ref (see Simulation.existingRef). A ref, once made, is
   * the actor's for the whole run: found refs are kept.
   */
  private live<A>(cache: Map<string, ActorRef>, key: string, node: string, actor: string): A | undefined {
    let ref = cache.get(key);
    if (ref === undefined) {
      ref = this.sim.existingRef(node, actor);
      if (ref === undefined) return undefined;
      cache.set(key, ref);
    }
    return this.sim.instance<A>(ref);
  }

  jobs(): ReadonlyMap<string, JobMetadata> {
    // The store is one durable map for the whole run once the control plane has started.
    if (this.store !== null) return this.store;
    const store = this.jobStore();
    if (this.sim.started) this.store = store;
    return store;
  }

  /** Ground truth: the current task of the TE process on `node` (null when idle or down). */
  taskOn(node: string): WorkerId | null {
    return this.te(node)?.currentTask ?? null;
  }

  idleSinceUs(node: string): number | null {
    const seen = this.tes.get(node);
    return seen === undefined || seen.busy ? null : seen.sinceUs;
  }

  /** "In the pool" as S2 states it: executorsByGroup ∧ isAvailable. */
  rcInPool(teId: string): boolean {
    const rc = this.rc();
    const state = rc?.esm.states.get(teId);
    return rc !== undefined && state !== undefined && rc.esm.pool.has(teId) && state.isAvailable;
  }

  rcHeld(teId: string): WorkerId | null {
    return this.rc()?.esm.states.get(teId)?.workerId ?? null;
  }

  rcHoldersOf(key: string): { worker: WorkerId; tes: Set<string> } | undefined {
    return this.rcHolders.get(key);
  }

  copiesOf(key: string): string[] {
    return [...(this.slotCopies.get(key) ?? [])];
  }

  advertised(jobId: string, stage: number): ReadonlySet<string> {
    return this.advertisedByJob.get(jobId)?.get(stage) ?? new Set();
  }

  deadEndpointSeconds(): number {
    return (
      (this.deadEndpointUs + this.deadAdvertisements.size * (this.now() - this.deadCountSinceUs)) / 1_000_000
    );
  }

  /** The consumer processes alive now (for L3). */
  consumerProcess(ref: ActorRef): WorkerProcess | undefined {
    return this.sim.instance<WorkerProcess>(ref);
  }

  // ================================================================ refresh

  /** Brings the indexes up to the actors' state after the last event; cheap when nothing ran. */
  refresh(): void {
    const watch = this.watch;
    const truthChanged = this.truth.version !== this.truthVersion;
    if (!watch.dirty && !truthChanged) return;
    this.truthVersion = this.truth.version;
    const all = watch.all;
    let rcRan = all;
    const jobsThatRan = this.jobsThatRan;
    while (jobsThatRan.length > 0) jobsThatRan.pop();
    if (all) {
      for (const e of this.executors) this.readTe(e.node);
      for (const jobId of this.jobs().keys()) jobsThatRan.push(jobId);
    } else {
      const refs = watch.refs;
      for (let i = 0; i < refs.length; i++) {
        const ref = refs[i] as ActorRef;
        const name = this.sim.actorName(ref);
        if (name === RC_ACTOR) rcRan = true;
        else if (name === TE_ACTOR) this.readTe(this.sim.nodeOf(ref));
        else {
          let jobId = this.jobIdOfRef.get(ref);
          if (jobId === undefined) this.jobIdOfRef.set(ref, (jobId = name.slice(JOB_PREFIX.length)));
          jobsThatRan.push(jobId);
        }
      }
    }
    watch.clear();
    for (let i = 0; i < jobsThatRan.length; i++) this.readJob(jobsThatRan[i] as string);
    if (rcRan) this.readRc();
    if (truthChanged || all) this.judgeConsistency(null);
    else if (jobsThatRan.length > 0 || this.touchedKeys.size > 0) this.judgeConsistency(jobsThatRan);
    this.touchedKeys.clear();
  }

  private readTe(node: string): void {
    const seen = this.tes.get(node) as TeSeen;
    const te = this.te(node);
    const now = this.now();
    const teId = (this.executorByNode.get(node) as ExecutorSpec).teId;
    if (te !== seen.instance) {
      // The process seen last time is gone (crash, restart, shutdown): its Started task died.
      if (seen.instance !== undefined && seen.task !== null) this.recordCrash(node, seen.task, now);
      if (seen.workerRef !== null) this.consumers.delete(seen.workerRef);
      seen.workerRef = null;
      seen.instance = te;
      this.setTask(node, teId, seen, null);
      // A process start: idle from now (busy or not before).
      if (te !== undefined) {
        seen.busy = false;
        seen.sinceUs = now;
        if (this.sim.incarnationOf(node) > 0) this.restartAtUs.set(teId, now);
      } else if (seen.busy) {
        seen.busy = false;
        seen.sinceUs = now;
      }
    }
    if (te === undefined) return;
    this.setTask(node, teId, seen, te.currentTask);
    const busy = te.currentTask !== null || te.preparing !== null;
    if (busy !== seen.busy) {
      seen.busy = busy;
      seen.sinceUs = now;
    }
    if (te.workerRef !== seen.workerRef) {
      if (seen.workerRef !== null) this.consumers.delete(seen.workerRef);
      seen.workerRef = te.workerRef;
      const task = te.currentTask;
      if (te.workerRef !== null && task !== null && task.stage > 1)
        this.consumers.set(te.workerRef, { worker: task, node });
    }
    const beat = te.heartbeatSentAtUs;
    for (const crash of this.crashes) {
      if (crash.node === node && crash.firstTeHeartbeatAfterRestartUs === null && crash.crashUs < beat)
        crash.firstTeHeartbeatAfterRestartUs = beat;
    }
  }

  private setTask(node: string, teId: string, seen: TeSeen, task: WorkerId | null): void {
    const before = seen.task;
    if (before === task || (before !== null && task !== null && sameId(before, task))) return;
    if (before !== null) this.removeCopy(before, node);
    seen.task = task;
    if (task !== null) this.addCopy(task, node);
    this.recomputeBusyInPool(teId);
    this.recomputeAdvertisedHost(node);
  }

  private recordCrash(node: string, task: WorkerId, now: number): void {
    const record = this.jobs().get(task.jobId)?.all.get(task.number);
    if (record === undefined || record.state !== 'Started') return;
    this.crashes.push({
      worker: task,
      node,
      crashUs: now,
      lastHeartbeatUs: record.lastHeartbeatAtUs ?? record.launchedAtUs ?? now,
      firstTeHeartbeatAfterRestartUs: null,
      failedAtUs: null,
    });
  }

  /** A JobActor ran (or everything may have changed): its store entry and its last push. */
  private readJob(jobId: string): void {
    const meta = this.jobs().get(jobId);
    if (meta === undefined) return;
    const now = this.now();
    if (meta.state === 'Failed' && !this.killedJobs.has(jobId))
      this.killedJobs.set(jobId, { atUs: now, failures: meta.recentErrors.size });
    const pushed = this.jobActor(jobId)?.lastPushed ?? null;
    if (pushed !== null && this.pushes.get(jobId) !== pushed) {
      this.pushes.set(jobId, pushed);
      this.pushed(jobId, pushed);
    }
    for (const crash of this.crashes) {
      if (crash.failedAtUs !== null || crash.worker.jobId !== jobId) continue;
      const record = meta.all.get(crash.worker.number);
      if (record !== undefined && record.state === 'Failed') crash.failedAtUs = now;
    }
  }

  private readRc(): void {
    const rc = this.rc();
    if (rc !== this.rcInstance) {
      // A new (or no) leader: the old one's beliefs are gone.
      this.rcInstance = rc;
      for (const teId of [...this.beliefs.keys()]) this.setBelief(teId, NO_BELIEF);
      this.beliefs.clear();
    }
    this.assignedWhileRunning = rc?.assignedWhileRunning ?? null;
    if (rc === undefined) return;
    const states = rc.esm.states;
    this.states = states;
    this.pool = rc.esm.pool;
    this.beliefs.forEach(this.forgetUntracked);
    states.forEach(this.readBelief);
  }

  private states: ReadonlyMap<string, TaskExecutorState> = new Map();
  private pool: ReadonlySet<string> = new Set();

  /** A TE the RC no longer tracks (archived): it believes nothing of it. */
  private readonly forgetUntracked = (belief: RcBelief, teId: string): void => {
    if (belief !== NO_BELIEF && !this.states.has(teId)) this.setBelief(teId, NO_BELIEF);
  };

  /** One TaskExecutorState, compared field by field first: mostly nothing changed since the last turn. */
  private readonly readBelief = (state: TaskExecutorState, teId: string): void => {
    const before = this.beliefs.get(teId) ?? NO_BELIEF;
    const inPool = this.pool.has(teId) && state.isAvailable;
    const held = state.workerId;
    const cancelled = state.cancelledWorkerOnTask;
    if (before.inPool === inPool && sameId(before.held, held) && sameId(before.cancelled, cancelled)) return;
    this.setBelief(teId, { held, inPool, cancelled });
  };

  private setBelief(teId: string, next: RcBelief): void {
    const before = this.beliefs.get(teId) ?? NO_BELIEF;
    if (!sameId(before.held, next.held)) {
      if (before.held !== null) this.unhold(before.held, teId);
      if (next.held !== null) this.hold(next.held, teId);
    }
    if (!sameId(before.cancelled, next.cancelled)) {
      if (before.cancelled !== null) this.countCancelled(workerKey(before.cancelled), -1);
      if (next.cancelled !== null) this.countCancelled(workerKey(next.cancelled), +1);
    }
    this.beliefs.set(teId, next);
    if (before.inPool !== next.inPool) {
      this.recomputeBusyInPool(teId);
      if (next.inPool) {
        const restartedAt = this.restartAtUs.get(teId);
        if (restartedAt !== undefined) {
          this.recyclingDelaysMs.push(Math.round((this.now() - restartedAt) / 1000));
          this.restartAtUs.delete(teId);
        }
      }
    }
  }

  private countCancelled(key: string, delta: number): void {
    const count = (this.cancelledOn.get(key) ?? 0) + delta;
    if (count === 0) this.cancelledOn.delete(key);
    else this.cancelledOn.set(key, count);
    this.touchedKeys.add(key);
  }

  /**
   * S4 over every worker the RC holds (and every one broken so far) when anything may have
   * changed (`null`); else only over the workers of `jobs` (their JobActors ran: a record may
   * have turned terminal) and those whose RC beliefs changed (`touchedKeys`). Nothing else
   * S4 reads can change without one of those (the wire is ground truth: a change judges all).
   */
  private judgeConsistency(jobs: readonly string[] | null): void {
    const now = this.now();
    const touched = this.touchedKeys;
    if (this.consistencyBroken.size > 0)
      for (const [key, broken] of this.consistencyBroken) {
        if (jobs !== null && !jobs.includes(broken.worker.jobId) && !touched.has(key)) continue;
        if (!this.inconsistent(key, broken.worker)) this.consistencyBroken.delete(key);
      }
    if (jobs === null) {
      for (const key of this.rcHolders.keys()) this.judgeHeld(key, now);
      return;
    }
    for (let i = 0; i < jobs.length; i++) {
      const keys = this.heldByJob.get(jobs[i] as string);
      if (keys !== undefined) for (const key of keys) this.judgeHeld(key, now);
    }
    for (const key of touched) this.judgeHeld(key, now);
  }

  private judgeHeld(key: string, now: number): void {
    const holders = this.rcHolders.get(key);
    if (holders === undefined || holders.tes.size === 0 || this.consistencyBroken.has(key)) return;
    if (this.inconsistent(key, holders.worker))
      this.consistencyBroken.set(key, {
        worker: holders.worker,
        teId: [...holders.tes][0] as string,
        sinceUs: now,
      });
  }

  private inconsistent(key: string, w: WorkerId): boolean {
    const holders = this.rcHolders.get(key);
    if (holders === undefined || holders.tes.size === 0) return false;
    const record = this.jobs().get(w.jobId)?.all.get(w.number);
    const jobTerminal = record === undefined || isTerminal(record.state);
    if (!jobTerminal || this.truth.terminateInFlight(key)) return false;
    return !this.cancelledOn.has(key);
  }

  // ================================================================ indexes

  private hold(w: WorkerId, teId: string): void {
    const key = workerKey(w);
    this.touchedKeys.add(key);
    let entry = this.rcHolders.get(key);
    if (entry === undefined) {
      this.rcHolders.set(key, (entry = { worker: w, tes: new Set() }));
      let keys = this.heldByJob.get(w.jobId);
      if (keys === undefined) this.heldByJob.set(w.jobId, (keys = new Set()));
      keys.add(key);
    }
    entry.tes.add(teId);
    if (entry.tes.size > 1 && !this.rcDoubleHeld.has(key)) this.rcDoubleHeld.set(key, this.now());
  }

  private unhold(w: WorkerId, teId: string): void {
    const key = workerKey(w);
    this.touchedKeys.add(key);
    const entry = this.rcHolders.get(key);
    if (entry === undefined) return;
    entry.tes.delete(teId);
    if (entry.tes.size <= 1) this.rcDoubleHeld.delete(key);
    if (entry.tes.size === 0) {
      this.rcHolders.delete(key);
      this.heldByJob.get(w.jobId)?.delete(key);
    }
  }

  private recomputeBusyInPool(teId: string): void {
    const inPool = this.beliefs.get(teId)?.inPool ?? false;
    const busy = (this.nodesByTeId.get(teId) ?? []).some((n) => this.tes.get(n)?.task != null);
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

  /** A JobActor pushed JobSchedulingInfo: the advertised endpoints of job J are now its stages. */
  private pushed(jobId: string, info: JobSchedulingInfo): void {
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
    for (const [stage, hosts] of info.stages) {
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

  private recomputeAdvertisedHost(host: string): void {
    const byJob = this.advertisedByHost.get(host);
    const task = this.tes.get(host)?.task ?? null;
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

  /** For tests: the end of the run, as the liveness judgements see it. */
  endUs(): Micros {
    return this.sim.now();
  }
}

const JOB_PREFIX = 'job-';

function isJobActorName(actor: string): boolean {
  return actor.startsWith(JOB_PREFIX) && !actor.startsWith('job-cluster-');
}

function sameId(a: WorkerId | null, b: WorkerId | null): boolean {
  if (a === null || b === null) return a === b;
  return a.jobId === b.jobId && a.number === b.number;
}
