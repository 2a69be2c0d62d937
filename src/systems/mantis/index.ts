import { z } from 'zod';
import type { Simulation } from '../../engine/index.js';
import { msToUs } from '../../engine/index.js';
import { parseDuration } from '../../scenario/duration.js';
import { durationSchema } from '../../scenario/schema.js';
import type {
  ActionSpec,
  CheckVerdict,
  FaultKind,
  GenericActionName,
  SystemInstance,
  SystemModel,
  SystemSetup,
} from '../system-model.js';
import type { JobSpec, MantisCluster } from './cluster.js';
import { crossCheckMantis, mantisChecks } from './checks.js';
import { checkPlacement, jobSchema, mantisClusterSchema, toJobSpec } from './cluster.js';
import { mantisConfigKeys, resolveMantisConfig } from './config.js';
import { installMantisInvariants, mantisInvariants } from './invariants.js';
import { JobActor, newJobMetadata } from './job-actor.js';
import type { JobMetadata } from './job-metadata.js';
import { durableMap, JCM_ACTOR, RC_ACTOR, ResourceClusterActor, TE_ACTOR } from './resource-cluster-actor.js';
import { JobClusterActor, jobActorName, jobClusterActorName, JobClustersManagerActor } from './router.js';
import { MantisStateReader } from './state-view.js';
import { TaskExecutorActor } from './task-executor.js';
import { checkMantisVariant, mantisVariants, parseMantisVariant } from './variant.js';
import { MantisWorld } from './world.js';

export type { MantisCluster } from './cluster.js';
export type { MantisVariant } from './variant.js';

export const CONTROL_PLANE = 'control-plane';
/** Durable key of the job store on the control plane. */
const STORE_JOBS = 'jobs';

const nodeName = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected a node name');

const mantisActions: readonly ActionSpec[] = [
  {
    name: 'submit',
    meaning: 'submit a job now: { id, stages, cluster?, workerTimeout?, placement? }',
    schema: jobSchema.omit({ submitAt: true }),
    example: 'submit: { id: B, stages: [1] }',
  },
  {
    name: 'shutdown',
    meaning:
      'graceful TE shutdown: TaskExecutorDisconnection, then the process stops (restart it with `restart`)',
    schema: nodeName,
    example: 'shutdown: TE-1',
  },
  {
    name: 'failover',
    meaning:
      'leader failover: RC state lost, JobActors re-initialised with fake heartbeats, JobClustersManager initialising',
    schema: z.literal(CONTROL_PLANE),
    example: 'failover: control-plane',
  },
  {
    name: 'delay',
    meaning:
      'messages a TE process sends during `for` take `by` longer (late messages of a dead incarnation, edge case 5)',
    schema: z.strictObject({ node: nodeName, for: durationSchema, by: durationSchema }),
    example: 'delay: { node: TE-1, for: 2s, by: 70s }',
  },
  {
    name: 'jcm-initializing',
    meaning:
      'the JobClustersManager drops every WorkerEvent for this long (JobClustersManagerActor.java:325; edge case 4)',
    schema: durationSchema,
    example: 'jcm-initializing: 20s',
  },
];

const ms = (value: unknown): number => {
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.ms : 0;
};

export const mantisModel: SystemModel<MantisCluster> = {
  id: 'mantis',
  meaning:
    'Mantis control plane: task executor reuse and stale scheduling info (Netflix/mantis discussion #781)',
  controlPlaneNode: CONTROL_PLANE,
  defaultVariant: 'as-is',
  variants: mantisVariants,
  invariants: mantisInvariants,
  config: mantisConfigKeys,
  actions: mantisActions,
  checks: mantisChecks,
  crossCheck: crossCheckMantis,
  clusterSchema: mantisClusterSchema,
  checkVariant: checkMantisVariant,
  nodes: (cluster) => [CONTROL_PLANE, ...cluster.executors.map((e) => e.node)],
  faultTargets: (cluster, kind: FaultKind) => (kind === 'drop' ? [] : cluster.executors.map((e) => e.node)),
  checkAction(action, args, cluster) {
    const nodes = new Set(cluster.executors.map((e) => e.node));
    if (action === 'shutdown' && !nodes.has(args as string))
      return `unknown executor '${String(args)}' (allowed: ${[...nodes].join(', ')})`;
    if (action === 'delay') {
      const node = (args as { node: string }).node;
      if (!nodes.has(node)) return `unknown executor '${node}' (allowed: ${[...nodes].join(', ')})`;
    }
    if (action === 'submit') {
      const job = args as z.output<typeof jobSchema>;
      const problems: string[] = [];
      checkPlacement(job, nodes, (message) => problems.push(message));
      if (cluster.jobs.some((j) => j.id === job.id))
        problems.push(`job '${job.id}' is already in cluster.jobs`);
      return problems.length === 0 ? null : problems.join('; ');
    }
    return null;
  },
  build: (sim, setup) => buildMantis(sim, setup),
};

/** Builds the Mantis world on a fresh simulation: nodes, actors, invariants, submissions. */
export function buildMantis(sim: Simulation, setup: SystemSetup<MantisCluster>): MantisInstance {
  const config = resolveMantisConfig(setup.config);
  const variant = parseMantisVariant(setup.variant);
  const world = new MantisWorld(sim, setup.cluster, config, variant);
  const instance = new MantisInstance(sim, world);
  instance.reader = new MantisStateReader(sim, setup.cluster);

  sim.defineNode(CONTROL_PLANE, (node) => {
    world.controlPlaneDurable = node.durable;
    node.spawn(RC_ACTOR, (ctx) => new ResourceClusterActor(ctx, world));
    node.spawn(JCM_ACTOR, (ctx) => new JobClustersManagerActor(ctx, world));
    // A failover re-reads the job store: every job cluster and JobActor comes back.
    const jobs = durableMap<string, JobMetadata>(node.durable, STORE_JOBS);
    for (const cluster of new Set([...jobs.values()].map((m) => m.spec.cluster)))
      node.spawn(jobClusterActorName(cluster), (ctx) => new JobClusterActor(ctx, world, cluster));
    for (const meta of jobs.values())
      node.spawn(jobActorName(meta.spec.id), (ctx) => new JobActor(ctx, world, meta));
  });
  for (const executor of setup.cluster.executors) {
    sim.defineNode(executor.node, (node) => {
      node.spawn(TE_ACTOR, (ctx) => new TaskExecutorActor(ctx, world, executor));
    });
  }
  installMantisInvariants(sim, world);
  for (const job of setup.cluster.jobs) sim.at(msToUs(job.submitAtMs), () => instance.submit(job));
  return instance;
}

export class MantisInstance implements SystemInstance {
  /** Reads the actors' own state for `check` steps and `run --json` state. */
  reader: MantisStateReader | null = null;

  constructor(
    private readonly sim: Simulation,
    readonly world: MantisWorld,
  ) {}

  applyAction(action: string, args: unknown): void {
    switch (action) {
      case 'submit':
        return this.submit(toJobSpec({ ...(args as z.output<typeof jobSchema>), submitAt: undefined }));
      case 'shutdown':
        return this.shutdown(args as string);
      case 'failover':
        return this.failover();
      case 'delay': {
        const { node, for: forValue, by } = args as { node: string; for: unknown; by: unknown };
        this.world.outboundDelay.set(node, {
          untilUs: this.sim.now() + msToUs(ms(forValue)),
          byUs: msToUs(ms(by)),
        });
        return;
      }
      case 'jcm-initializing':
        this.world.jcmInitializingUntilUs = this.sim.now() + msToUs(ms(args));
        return;
      default:
        throw new Error(`mantis: unknown action '${action}'`);
    }
  }

  /** A crash (segfault) sends nothing; the ground truth forgets the process's task first. */
  beforeGeneric(action: GenericActionName, node: string): void {
    if (node === CONTROL_PLANE) return;
    if ((action === 'crash' || action === 'restart') && this.sim.isUp(node)) {
      this.sim.note(
        node,
        'te',
        `${node} process dies${action === 'crash' ? ' (segfault: no TaskExecutorDisconnection)' : ''}`,
        { te: this.world.executorByNode.get(node)?.teId ?? node },
      );
      this.world.processGone(node, this.sim.ref(node, TE_ACTOR));
    }
  }

  submit(job: JobSpec): void {
    if (!this.sim.isUp(CONTROL_PLANE)) {
      this.sim.note(CONTROL_PLANE, 'job', `submit of job ${job.id} refused: the control plane is down`, {
        job: job.id,
      });
      return;
    }
    if (this.world.jobs.has(job.id)) {
      this.sim.note(CONTROL_PLANE, 'job', `submit of job ${job.id} ignored: it exists`, { job: job.id });
      return;
    }
    const meta = newJobMetadata(job);
    // The store write (durable) comes first; the actors then read it, as after a failover.
    durableMap<string, JobMetadata>(this.world.controlPlaneDurable, STORE_JOBS).set(job.id, meta);
    this.world.jobs.set(job.id, meta);
    const clusterRef = this.sim.ref(CONTROL_PLANE, jobClusterActorName(job.cluster));
    if (this.sim.instance(clusterRef) === undefined)
      this.sim.spawnOn(
        CONTROL_PLANE,
        jobClusterActorName(job.cluster),
        (ctx) => new JobClusterActor(ctx, this.world, job.cluster),
      );
    this.sim.spawnOn(CONTROL_PLANE, jobActorName(job.id), (ctx) => new JobActor(ctx, this.world, meta));
  }

  private shutdown(node: string): void {
    const te = this.sim.instance<TaskExecutorActor>(this.sim.ref(node, TE_ACTOR));
    if (te === undefined) return;
    this.sim.note(node, 'te', `${node} shuts down gracefully`, {
      te: this.world.executorByNode.get(node)?.teId ?? node,
    });
    te.shutDown();
    this.world.processGone(node, this.sim.ref(node, TE_ACTOR));
    this.sim.crash(node);
  }

  private failover(): void {
    this.sim.note(
      CONTROL_PLANE,
      'failover',
      'leader failover: a new leader starts with an empty resource cluster and re-initialises every JobActor',
      {},
    );
    this.sim.restart(CONTROL_PLANE);
  }

  evaluateCheck(check: string, args: unknown): CheckVerdict {
    if (this.reader === null) throw new Error('mantis: no state reader');
    return this.reader.evaluate(check, args);
  }

  state(): Record<string, unknown> {
    return this.reader?.view() ?? {};
  }

  metrics(): Record<string, unknown> {
    const world = this.world;
    const notifications = Object.fromEntries([...world.notifications].sort(([a], [b]) => (a < b ? -1 : 1)));
    const sent = [...world.notifications.values()].reduce((a, b) => a + b, 0);
    const delays = world.recyclingDelaysMs;
    const recyclingDelayMs =
      delays.length === 0 ? null : Math.round(delays.reduce((a, b) => a + b, 0) / delays.length);
    return {
      reconnections: world.teReconnections,
      fixMessages: sent,
      recyclingDelayMs,
      mantis: {
        teReconnections: world.teReconnections,
        notificationMessages: {
          total: sent,
          byType: notifications,
          perReconnection:
            world.teReconnections === 0 ? 0 : Math.round((sent / world.teReconnections) * 100) / 100,
        },
        deadEndpointSeconds: Math.round(world.deadEndpointSeconds() * 1000) / 1000,
        recyclingDelayMs: { perRestart: delays, mean: recyclingDelayMs },
        consumerReconnections: world.dataPlane.reconnections,
        jobsKilled: [...world.killedJobs.keys()],
      },
    };
  }
}
