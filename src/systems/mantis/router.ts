import type { Actor, ActorContext, ActorRef, Rng } from '../../engine/index.js';
import { assertNever, msToUs } from '../../engine/index.js';
import type { WorkerId } from './ids.js';
import { workerLabel } from './ids.js';
import type { JobMetadata } from './job-metadata.js';
import type { JobToRc, RoutedEvent, TaskExecutorReconnected } from './messages.js';
import { durableMap, hopDelayUs, RC_ACTOR, STORE_JOBS } from './resource-cluster-actor.js';
import type { MantisEnv } from './env.js';

export const jobClusterActorName = (cluster: string): string => `job-cluster-${cluster}`;
export const jobActorName = (jobId: string): string => `job-${jobId}`;

/**
 * The routers' own view of the jobs: the control plane's job store (durable, so a failover
 * re-reads it), which the JobClustersManager and the JobClusterActors load their job lists from.
 */
function jobStore(ctx: ActorContext<RoutedEvent>): ReadonlyMap<string, JobMetadata> {
  return durableMap<string, JobMetadata>(ctx.durable, STORE_JOBS);
}

function clusterNames(jobs: ReadonlyMap<string, JobMetadata>): ReadonlySet<string> {
  const names = new Set<string>();
  for (const meta of jobs.values()) names.add(meta.spec.cluster);
  return names;
}

function hasCluster(jobs: ReadonlyMap<string, JobMetadata>, cluster: string): boolean {
  for (const meta of jobs.values()) if (meta.spec.cluster === cluster) return true;
  return false;
}

/** Submitted and not killed. */
function isJobActive(jobs: ReadonlyMap<string, JobMetadata>, jobId: string): boolean {
  const meta = jobs.get(jobId);
  return meta !== undefined && meta.state !== 'Failed';
}

function activeJobsOf(jobs: ReadonlyMap<string, JobMetadata>, cluster: string): string[] {
  const out: string[] = [];
  for (const meta of jobs.values())
    if (meta.spec.cluster === cluster && meta.state !== 'Failed') out.push(meta.spec.id);
  return out;
}

/** Non-terminal events of an unknown worker make the router terminate it (JobHelper:78-94). */
function isNonTerminal(event: RoutedEvent): boolean {
  return (
    event.type === 'WorkerLaunched' ||
    event.type === 'WorkerHeartbeat' ||
    event.type === 'TaskExecutorReconnectedEvent' ||
    event.type === 'WorkerLaunchFailed'
  );
}

/**
 * Δ fix-1a-correct [inferred: the spec asks the RC to wait for the job's ack, and says nothing of
 * a job that no longer exists]: a WorkerTerminate for a job or cluster that is gone is acked here,
 * as nothing is left to apply it; dropped while the JobClustersManager initialises, it is not
 * (the job exists, and pooling the TE would reopen the race), and the TE stays out of the pool.
 */
function ackGone(ctx: ActorContext<RoutedEvent>, event: RoutedEvent): void {
  if (event.type !== 'WorkerTerminate' || event.ackFor === undefined) return;
  ctx.send(ctx.sim.ref<JobToRc>(ctx.node, RC_ACTOR), {
    type: 'WorkerTerminateAck',
    teId: event.ackFor,
    worker: event.worker,
  });
}

/** The worker an event is about (null for a TE-wide one); fails on a message no router takes. */
function eventWorker(event: RoutedEvent): WorkerId | null {
  switch (event.type) {
    case 'TaskExecutorReconnected':
      return null;
    case 'WorkerLaunched':
    case 'WorkerLaunchFailed':
    case 'WorkerTerminate':
    case 'WorkerHeartbeat':
    case 'TaskExecutorReconnectedEvent':
      return event.worker;
    default:
      return assertNever(event);
  }
}

/**
 * JobClustersManagerActor.onWorkerEvent (:579-603): by `workerId.jobCluster` to its
 * JobClusterActor. Drops every event while initialising (:325): after a failover for
 * `jcmInitDuration`, or during a scripted `jcm-initializing` window.
 */
export class JobClustersManagerActor implements Actor<RoutedEvent> {
  private readonly hopRng: Rng;
  private initialisedAtUs = 0;

  constructor(
    private readonly ctx: ActorContext<RoutedEvent>,
    private readonly env: MantisEnv,
  ) {
    this.hopRng = ctx.random('router-hop');
  }

  onStart(): void {
    if (this.ctx.incarnation > 0)
      this.initialisedAtUs = this.ctx.now() + msToUs(this.env.config.jcmInitDuration);
  }

  onMessage(event: RoutedEvent): void {
    const now = this.ctx.now();
    const w = eventWorker(event);
    if (now < this.initialisedAtUs || now < this.env.faults.jcmInitializingUntilUs) {
      this.ctx.note(
        'router',
        `JobClustersManager initialising: ${event.type}${w !== null ? `(${workerLabel(w)})` : ''} dropped`,
        w !== null ? { job: w.jobId, worker: workerLabel(w) } : {},
      );
      return;
    }
    if (event.type === 'TaskExecutorReconnected' && event.cluster === null) {
      for (const cluster of clusterNames(jobStore(this.ctx))) this.forward(cluster, event);
      return;
    }
    const cluster = w === null ? (event as TaskExecutorReconnected).cluster : w.cluster;
    if (cluster === null || !hasCluster(jobStore(this.ctx), cluster)) return this.unknown(event);
    this.forward(cluster, event);
  }

  private forward(cluster: string, event: RoutedEvent): void {
    this.ctx.send(
      this.ctx.sim.ref<RoutedEvent>(this.ctx.node, jobClusterActorName(cluster)),
      event,
      hopDelayUs(this.hopRng, this.env.config.routerHopDelay),
    );
  }

  private unknown(event: RoutedEvent): void {
    ackGone(this.ctx, event);
    const w = eventWorker(event);
    if (w === null || !isNonTerminal(event)) return;
    this.env.truth.terminateSent(w);
    this.ctx.send(this.ctx.sim.ref<JobToRc>(this.ctx.node, RC_ACTOR), {
      type: 'TerminateWorkerRequest',
      worker: w,
    });
  }
}

/** JobClusterActor.onWorkerEvent (:1751-1780): by `workerId.jobId`, non-terminal jobs only. */
export class JobClusterActor implements Actor<RoutedEvent> {
  private readonly hopRng: Rng;

  constructor(
    private readonly ctx: ActorContext<RoutedEvent>,
    private readonly env: MantisEnv,
    private readonly cluster: string,
  ) {
    this.hopRng = ctx.random('router-hop');
  }

  onMessage(event: RoutedEvent): void {
    eventWorker(event); // fails on a message no router takes
    if (event.type === 'TaskExecutorReconnected') {
      const jobs = jobStore(this.ctx);
      const targets = event.jobId !== null ? [event.jobId] : activeJobsOf(jobs, this.cluster);
      for (const jobId of targets) {
        if (!isJobActive(jobs, jobId)) continue;
        this.send(jobId, event);
      }
      return;
    }
    const jobId = event.worker.jobId;
    if (!isJobActive(jobStore(this.ctx), jobId)) {
      ackGone(this.ctx, event);
      if (!isNonTerminal(event)) return;
      this.env.truth.terminateSent(event.worker);
      this.ctx.send(this.ctx.sim.ref<JobToRc>(this.ctx.node, RC_ACTOR), {
        type: 'TerminateWorkerRequest',
        worker: event.worker,
      });
      return;
    }
    this.send(jobId, event);
  }

  /**
   * The last hop, to one JobActor. A fix's notifications are counted here, one per job reached,
   * whatever the fix (a WorkerTerminate, 1A's event, a 1B/1C/broadcast fan-out), so that events
   * dropped on the way (the JobClustersManager initialising) count for none of them alike.
   */
  private send(jobId: string, event: RoutedEvent): void {
    if (
      event.type === 'WorkerTerminate' ||
      event.type === 'TaskExecutorReconnectedEvent' ||
      event.type === 'TaskExecutorReconnected'
    )
      this.env.truth.counters.countNotification(event.type);
    const to: ActorRef<RoutedEvent> = this.ctx.sim.ref(this.ctx.node, jobActorName(jobId));
    this.ctx.send(to, event, hopDelayUs(this.hopRng, this.env.config.routerHopDelay));
  }
}
