import type { Actor, ActorContext, ActorRef, Rng } from '../../engine/index.js';
import { msToUs } from '../../engine/index.js';
import type { WorkerId } from './ids.js';
import { workerLabel } from './ids.js';
import type { RoutedEvent } from './messages.js';
import { hopDelayUs, RC_ACTOR } from './resource-cluster-actor.js';
import type { MantisWorld } from './world.js';

export const jobClusterActorName = (cluster: string): string => `job-cluster-${cluster}`;
export const jobActorName = (jobId: string): string => `job-${jobId}`;

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
  ctx.send(ctx.sim.ref(ctx.node, RC_ACTOR), {
    type: 'WorkerTerminateAck',
    teId: event.ackFor,
    worker: event.worker,
  });
}

function eventWorker(event: RoutedEvent): WorkerId | null {
  return event.type === 'TaskExecutorReconnected' ? null : event.worker;
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
    private readonly world: MantisWorld,
  ) {
    this.hopRng = ctx.random('router-hop');
  }

  onStart(): void {
    if (this.ctx.incarnation > 0)
      this.initialisedAtUs = this.ctx.now() + msToUs(this.world.config.jcmInitDuration);
  }

  onMessage(event: RoutedEvent): void {
    const now = this.ctx.now();
    if (now < this.initialisedAtUs || now < this.world.jcmInitializingUntilUs) {
      const w = eventWorker(event);
      this.ctx.note(
        'router',
        `JobClustersManager initialising: ${event.type}${w !== null ? `(${workerLabel(w)})` : ''} dropped`,
        w !== null ? { job: w.jobId, worker: workerLabel(w) } : {},
      );
      return;
    }
    if (event.type === 'TaskExecutorReconnected' && event.cluster === null) {
      for (const cluster of this.world.clusterNames()) this.forward(cluster, event);
      return;
    }
    const cluster = event.type === 'TaskExecutorReconnected' ? event.cluster : event.worker.cluster;
    if (cluster === null || !this.world.hasCluster(cluster)) return this.unknown(event);
    this.forward(cluster, event);
  }

  private forward(cluster: string, event: RoutedEvent): void {
    this.ctx.send(
      this.ctx.sim.ref(this.ctx.node, jobClusterActorName(cluster)),
      event,
      hopDelayUs(this.hopRng, this.world.config.routerHopDelay),
    );
  }

  private unknown(event: RoutedEvent): void {
    ackGone(this.ctx, event);
    const w = eventWorker(event);
    if (w === null || !isNonTerminal(event)) return;
    this.world.terminateSent(w);
    this.ctx.send(this.ctx.sim.ref(this.ctx.node, RC_ACTOR), { type: 'TerminateWorkerRequest', worker: w });
  }
}

/** JobClusterActor.onWorkerEvent (:1751-1780): by `workerId.jobId`, non-terminal jobs only. */
export class JobClusterActor implements Actor<RoutedEvent> {
  private readonly hopRng: Rng;

  constructor(
    private readonly ctx: ActorContext<RoutedEvent>,
    private readonly world: MantisWorld,
    private readonly cluster: string,
  ) {
    this.hopRng = ctx.random('router-hop');
  }

  onMessage(event: RoutedEvent): void {
    if (event.type === 'TaskExecutorReconnected') {
      const targets = event.jobId !== null ? [event.jobId] : this.world.activeJobsOf(this.cluster);
      for (const jobId of targets) {
        if (!this.world.isJobActive(jobId)) continue;
        this.send(jobId, event);
      }
      return;
    }
    const jobId = event.worker.jobId;
    if (!this.world.isJobActive(jobId)) {
      ackGone(this.ctx, event);
      if (!isNonTerminal(event)) return;
      this.world.terminateSent(event.worker);
      this.ctx.send(this.ctx.sim.ref(this.ctx.node, RC_ACTOR), {
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
      this.world.countNotification(event.type);
    const to: ActorRef = this.ctx.sim.ref(this.ctx.node, `job-${jobId}`);
    this.ctx.send(to, event, hopDelayUs(this.hopRng, this.world.config.routerHopDelay));
  }
}
