import { z } from 'zod';
import { mantisWhy } from './why.js';
import type { Simulation } from '../../engine/index.js';
import { msToUs } from '../../engine/index.js';
import { parseDuration } from '../../util/duration.js';
import { durationSchema } from '../../util/duration-schema.js';
import { unknownName } from '../../util/names.js';
import type {
  ActionSpec,
  CheckVerdict,
  ConfigValue,
  FaultKind,
  GenericActionName,
  SystemInstance,
  SystemModel,
  SystemSetup,
} from '../system-model.js';
import type { JobSpec, MantisCluster } from './cluster.js';
import { crossCheckMantis, mantisChecks } from './checks.js';
import { checkPlacement, jobSchema, mantisClusterSchema, toJobSpec } from './cluster.js';
import { HEAD_RESUBMIT_INTERVALS, mantisConfigKeys, resolveMantisConfig } from './config.js';
import type { MantisEnv } from './env.js';
import { ScenarioFaults } from './env.js';
import { MantisGroundTruth } from './ground-truth.js';
import { mantisCoverage } from './coverage.js';
import { mantisFaults } from './faults.js';
import { mantisInvariants } from './invariants.js';
import { JobActor, newJobMetadata } from './job-actor.js';
import type { JobMetadata } from './job-metadata.js';
import {
  durableMap,
  JCM_ACTOR,
  RC_ACTOR,
  ResourceClusterActor,
  STORE_JOBS,
  TE_ACTOR,
} from './resource-cluster-actor.js';
import { JobClusterActor, jobActorName, jobClusterActorName, JobClustersManagerActor } from './router.js';
import { MantisStateReader } from './state-view.js';
import { TaskExecutorActor } from './task-executor.js';
import { checkMantisVariant, mantisVariants, parseMantisVariant } from './variant.js';
import { CONTROL_PLANE, MantisView } from './view.js';

export type { MantisCluster } from './cluster.js';

export type { MantisView } from './view.js';

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

export const mantisModel: SystemModel<MantisCluster, MantisView> = {
  id: 'mantis',
  meaning:
    'Mantis control plane: task executor reuse and stale scheduling info (Netflix/mantis discussion #781)',
  controlPlaneNode: CONTROL_PLANE,
  defaultVariant: 'as-is',
  variants: mantisVariants,
  invariants: mantisInvariants,
  config: mantisConfigKeys,
  actions: mantisActions,
  faults: mantisFaults,
  coverage: mantisCoverage,
  checks: mantisChecks,
  crossCheck: crossCheckMantis,
  why: mantisWhy,
  clusterSchema: mantisClusterSchema,
  checkVariant: checkMantisVariant,
  // Mantis errata 2: HEAD's resubmit table; every other variant stands on BUG or FIX784 (the default).
  variantConfig: (variant): Record<string, ConfigValue> =>
    checkMantisVariant(variant) === null && parseMantisVariant(variant).reservationScheduler
      ? { resubmitIntervals: HEAD_RESUBMIT_INTERVALS }
      : {},
  nodes: (cluster) => [CONTROL_PLANE, ...cluster.executors.map((e) => e.node)],
  // A standby container is started only by the `replacement` fault (a crash's restart would start it).
  faultTargets: (cluster, kind: FaultKind) =>
    kind === 'drop' ? [] : cluster.executors.filter((e) => !e.standby).map((e) => e.node),
  checkAction(action, args, cluster) {
    const { nodes, submitted } = timelineChecks(cluster);
    if (action === 'shutdown' && !nodes.has(args as string))
      return unknownName('executor', String(args), nodes);
    if (action === 'delay') {
      const node = (args as { node: string }).node;
      if (!nodes.has(node)) return unknownName('executor', node, nodes);
    }
    if (action === 'submit') {
      const job = args as z.output<typeof jobSchema>;
      const problems: string[] = [];
      checkPlacement(job, nodes, (message) => problems.push(message));
      if (cluster.jobs.some((j) => j.id === job.id))
        problems.push(`job '${job.id}' is already in cluster.jobs`);
      // A second submit of one id would be ignored by the JobClustersManager: say so instead.
      else if (submitted.has(job.id))
        problems.push(`job '${job.id}' is already submitted by an earlier step`);
      submitted.add(job.id);
      return problems.length === 0 ? null : problems.join('; ');
    }
    return null;
  },
  build: (sim, setup) => buildMantis(sim, setup),
};

/**
 * Per loaded cluster (the loader checks a file's steps in order against one cluster object):
 * its executor names, built once, and the job ids submitted by the steps so far.
 */
const checksByCluster = new WeakMap<MantisCluster, { nodes: Set<string>; submitted: Set<string> }>();

function timelineChecks(cluster: MantisCluster): { nodes: Set<string>; submitted: Set<string> } {
  let checks = checksByCluster.get(cluster);
  if (checks === undefined) {
    checks = { nodes: new Set(cluster.executors.map((e) => e.node)), submitted: new Set() };
    checksByCluster.set(cluster, checks);
  }
  return checks;
}

/** Builds the Mantis world on a fresh simulation: nodes, actors, the view, submissions. */
export function buildMantis(sim: Simulation, setup: SystemSetup<MantisCluster>): MantisInstance {
  const config = resolveMantisConfig(setup.config);
  const variant = parseMantisVariant(setup.variant);
  const truth = new MantisGroundTruth(sim, variant.dataPlaneNameCheck);
  const env: MantisEnv = { config, variant, faults: new ScenarioFaults(), truth };
  let controlPlaneDurable = new Map<string, unknown>();
  const jobStore = (): Map<string, JobMetadata> =>
    durableMap<string, JobMetadata>(controlPlaneDurable, STORE_JOBS);
  const view = new MantisView(sim, setup.cluster.executors, config, variant, truth, jobStore);
  const instance = new MantisInstance(sim, env, view, jobStore);
  instance.reader = new MantisStateReader(sim, setup.cluster);

  sim.defineNode(CONTROL_PLANE, (node) => {
    controlPlaneDurable = node.durable;
    node.spawn(RC_ACTOR, (ctx) => new ResourceClusterActor(ctx, env));
    node.spawn(JCM_ACTOR, (ctx) => new JobClustersManagerActor(ctx, env));
    // A failover re-reads the job store: every job cluster and JobActor comes back.
    const jobs = durableMap<string, JobMetadata>(node.durable, STORE_JOBS);
    for (const cluster of new Set([...jobs.values()].map((m) => m.spec.cluster)))
      node.spawn(jobClusterActorName(cluster), (ctx) => new JobClusterActor(ctx, env, cluster));
    for (const meta of jobs.values())
      node.spawn(jobActorName(meta.spec.id), (ctx) => new JobActor(ctx, env, meta));
  });
  for (const executor of setup.cluster.executors) {
    // A standby container has no process until it is restarted: its first start spawns nothing
    // and the node goes down at once.
    let idle = executor.standby;
    sim.defineNode(executor.node, (node) => {
      if (idle) return;
      node.spawn(TE_ACTOR, (ctx) => new TaskExecutorActor(ctx, env, executor));
    });
    if (idle)
      sim.at(0, () => {
        idle = false;
        sim.crash(executor.node);
      });
  }
  for (const job of setup.cluster.jobs) sim.at(msToUs(job.submitAtMs), () => instance.submit(job));
  return instance;
}

export class MantisInstance implements SystemInstance<MantisView> {
  /** Reads the actors' own state for `check` steps and `run --json` state. */
  reader: MantisStateReader | null = null;

  constructor(
    private readonly sim: Simulation,
    readonly env: MantisEnv,
    readonly view: MantisView,
    private readonly jobStore: () => Map<string, JobMetadata>,
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
        this.env.faults.outboundDelay.set(node, {
          untilUs: this.sim.now() + msToUs(ms(forValue)),
          byUs: msToUs(ms(by)),
        });
        return;
      }
      case 'jcm-initializing':
        this.env.faults.jcmInitializingUntilUs = this.sim.now() + msToUs(ms(args));
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
        { te: this.view.executorByNode.get(node)?.teId ?? node },
      );
      // Its worker dies with it: the consumers' sockets there and its server socket close.
      this.env.truth.dataPlane.processGone(node, this.sim.ref(node, TE_ACTOR));
    }
  }

  submit(job: JobSpec): void {
    if (!this.sim.isUp(CONTROL_PLANE)) {
      this.sim.note(CONTROL_PLANE, 'job', `submit of job ${job.id} refused: the control plane is down`, {
        job: job.id,
      });
      return;
    }
    const store = this.jobStore();
    if (store.has(job.id)) {
      this.sim.note(CONTROL_PLANE, 'job', `submit of job ${job.id} ignored: it exists`, { job: job.id });
      return;
    }
    const meta = newJobMetadata(job);
    // The store write (durable) comes first; the actors then read it, as after a failover.
    store.set(job.id, meta);
    const clusterRef = this.sim.ref(CONTROL_PLANE, jobClusterActorName(job.cluster));
    if (this.sim.instance(clusterRef) === undefined)
      this.sim.spawnOn(
        CONTROL_PLANE,
        jobClusterActorName(job.cluster),
        (ctx) => new JobClusterActor(ctx, this.env, job.cluster),
      );
    this.sim.spawnOn(CONTROL_PLANE, jobActorName(job.id), (ctx) => new JobActor(ctx, this.env, meta));
  }

  private shutdown(node: string): void {
    const te = this.sim.instance<TaskExecutorActor>(this.sim.ref(node, TE_ACTOR));
    if (te === undefined) return;
    this.sim.note(node, 'te', `${node} shuts down gracefully`, {
      te: this.view.executorByNode.get(node)?.teId ?? node,
    });
    te.shutDown();
    this.env.truth.dataPlane.processGone(node, this.sim.ref(node, TE_ACTOR));
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
    const view = this.view;
    view.refresh();
    const counters = this.env.truth.counters;
    const notifications = Object.fromEntries(
      [...counters.notifications].sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    const sent = [...counters.notifications.values()].reduce((a, b) => a + b, 0);
    const delays = view.recyclingDelaysMs;
    const recyclingDelayMs =
      delays.length === 0 ? null : Math.round(delays.reduce((a, b) => a + b, 0) / delays.length);
    return {
      reconnections: counters.teReconnections,
      fixMessages: sent,
      recyclingDelayMs,
      mantis: {
        teReconnections: counters.teReconnections,
        notificationMessages: {
          total: sent,
          byType: notifications,
          perReconnection:
            counters.teReconnections === 0 ? 0 : Math.round((sent / counters.teReconnections) * 100) / 100,
        },
        deadEndpointSeconds: Math.round(view.deadEndpointSeconds() * 1000) / 1000,
        recyclingDelayMs: { perRestart: delays, mean: recyclingDelayMs },
        consumerReconnections: this.env.truth.dataPlane.reconnections,
        jobsKilled: [...view.killedJobs.keys()],
      },
    };
  }
}
